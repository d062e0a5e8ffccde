import "server-only";
import { db } from "@/lib/db/client";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { encryptBotToken } from "../token-vault";
import { assertBotFree } from "./assert-bot-free";
import { forgetWebhookOfBot } from "./forget-old-bot";
import { findIntegration } from "./find-integration";
import { toIntegrationDto } from "./integration-dto";
import { verifyBotToken, type VerifiedBot } from "./verify-bot-token";
import { newWebhookPathId, newWebhookSecret } from "./webhook-secrets";

/** Columns that follow from a verified token. */
export function botColumns(token: string, bot: VerifiedBot) {
  return { botId: bot.botId, botUsername: bot.username, botTokenEncrypted: encryptBotToken(token), botTokenLast4: bot.lastFour };
}

/** A different bot starts with a new webhook path and secret, and no webhook registered. */
export function freshWebhookColumns() {
  return { webhookPathId: newWebhookPathId(), webhookSecret: newWebhookSecret(), webhookUrl: null, isWebhookActive: false };
}

/**
 * POST /api/v1/telegram/integration: connects a bot to the tenant, or replaces the one
 * connected. Replacing with another bot drops the old bot's webhook and its recorded chats,
 * which belong to that bot.
 */
export async function connectBot(
  tenantId: string,
  input: { bot_token: string; owner_chat_id?: number | null; welcome_message?: string | null },
): Promise<IntegrationDto> {
  const bot = await verifyBotToken(input.bot_token);
  await assertBotFree(tenantId, bot.botId);
  const existing = await findIntegration(tenantId);
  const sameBot = existing?.botId === bot.botId;
  if (existing && !sameBot) await forgetWebhookOfBot(existing);

  const settings = {
    ownerChatId: input.owner_chat_id === undefined || input.owner_chat_id === null ? null : BigInt(input.owner_chat_id),
    welcomeMessage: input.welcome_message ?? null,
    isActive: true,
  };
  const row = await db().$transaction(async (tx) => {
    if (existing && !sameBot) await tx.telegramChat.deleteMany({ where: { integrationId: existing.id } });
    return tx.telegramIntegration.upsert({
      where: { tenantId },
      create: { tenantId, ...settings, ...botColumns(input.bot_token, bot), ...freshWebhookColumns() },
      update: { ...settings, ...botColumns(input.bot_token, bot), ...(sameBot ? {} : freshWebhookColumns()) },
    });
  });
  return toIntegrationDto(row);
}
