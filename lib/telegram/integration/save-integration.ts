import "server-only";
import { db } from "@/lib/db/client";
import { wakeBotPoller } from "@/lib/leads/delivery/wake-lane";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { clearPollingStop, forgetPolling } from "../polling/polling-writes";
import { encryptBotToken } from "../token-vault";
import { assertBotFree } from "./assert-bot-free";
import { forgetWebhookOfBot } from "./forget-old-bot";
import { findIntegration, requireIntegration } from "./find-integration";
import { toIntegrationDto } from "./integration-dto";
import { verifyBotToken } from "./verify-bot-token";
import { newWebhookPathId, newWebhookSecret } from "./webhook-secrets";

type IntegrationChanges = {
  bot_token?: string;
  owner_chat_id?: number | null;
  is_active?: boolean;
  welcome_message?: string | null;
};

/** The settings among the changes, as columns; a field not given keeps its value. */
function settingColumns(changes: IntegrationChanges) {
  return {
    ...(changes.owner_chat_id !== undefined
      ? { ownerChatId: changes.owner_chat_id === null ? null : BigInt(changes.owner_chat_id) }
      : {}),
    ...(changes.is_active !== undefined ? { isActive: changes.is_active } : {}),
    ...(changes.welcome_message !== undefined ? { welcomeMessage: changes.welcome_message } : {}),
  };
}

/** A different bot starts with a new webhook path and secret, and no webhook registered. */
function freshWebhookColumns() {
  return {
    webhookPathId: newWebhookPathId(),
    webhookSecret: newWebhookSecret(),
    webhookUrl: null,
    isWebhookActive: false,
  };
}

/**
 * The one write of an integration, for connecting a bot and for changing one. A token is
 * verified with Telegram and must not serve another site. Switching to another bot than
 * the connected one removes the old bot's webhook and drops its recorded chats and polling
 * offset, which belong to that bot. Any change lets a bot whose polling stopped (a
 * conflict, a revoked token) be polled again, and wakes its poller.
 */
async function saveIntegration(
  tenantId: string,
  existing: TelegramIntegration | null,
  changes: IntegrationChanges,
): Promise<IntegrationDto> {
  const row = await writeIntegration(tenantId, existing, changes);
  wakeBotPoller(row.id);
  return toIntegrationDto(row);
}

async function writeIntegration(tenantId: string, existing: TelegramIntegration | null, changes: IntegrationChanges) {
  const settings = settingColumns(changes);
  const token = changes.bot_token;
  if (token === undefined) {
    return db().$transaction(async (tx) => {
      if (existing) await clearPollingStop(tx, existing.id);
      return tx.telegramIntegration.update({ where: { tenantId }, data: settings, include: { polling: true } });
    });
  }

  const bot = await verifyBotToken(token);
  await assertBotFree(tenantId, bot.botId);
  const replaced = existing !== null && existing.botId !== bot.botId ? existing : null;
  if (replaced) await forgetWebhookOfBot(replaced);
  const botColumns = {
    botId: bot.botId,
    botUsername: bot.username,
    botTokenEncrypted: encryptBotToken(token),
    botTokenLast4: bot.lastFour,
  };
  return db().$transaction(async (tx) => {
    if (replaced) {
      await tx.telegramChat.deleteMany({ where: { integrationId: replaced.id } });
      await forgetPolling(tx, replaced.id);
    } else if (existing) {
      await clearPollingStop(tx, existing.id);
    }
    return tx.telegramIntegration.upsert({
      where: { tenantId },
      create: { tenantId, ...settings, ...botColumns, ...freshWebhookColumns() },
      update: { ...settings, ...botColumns, ...(replaced ? freshWebhookColumns() : {}) },
      include: { polling: true },
    });
  });
}

/** POST /api/v1/telegram/integration: connects a bot, or replaces the one connected; settings not given are reset. */
export async function connectBot(
  tenantId: string,
  input: { bot_token: string; owner_chat_id?: number | null; welcome_message?: string | null },
): Promise<IntegrationDto> {
  const changes = {
    bot_token: input.bot_token,
    owner_chat_id: input.owner_chat_id ?? null,
    welcome_message: input.welcome_message ?? null,
    is_active: true,
  };
  return saveIntegration(tenantId, await findIntegration(tenantId), changes);
}

/** PATCH /api/v1/telegram/integration: only the fields given change; a new token is re-verified. */
export async function updateIntegration(tenantId: string, changes: IntegrationChanges): Promise<IntegrationDto> {
  return saveIntegration(tenantId, await requireIntegration(tenantId), changes);
}
