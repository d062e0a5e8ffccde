import "server-only";
import { db } from "@/lib/db/client";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { assertBotFree } from "./assert-bot-free";
import { botColumns, freshWebhookColumns } from "./connect-bot";
import { forgetWebhookOfBot } from "./forget-old-bot";
import { requireIntegration } from "./find-integration";
import { toIntegrationDto } from "./integration-dto";
import { verifyBotToken } from "./verify-bot-token";

/** PATCH /api/v1/telegram/integration: only the fields given change; a new token is re-verified. */
export async function updateIntegration(
  tenantId: string,
  changes: { bot_token?: string; owner_chat_id?: number | null; is_active?: boolean; welcome_message?: string | null },
): Promise<IntegrationDto> {
  const existing = await requireIntegration(tenantId);
  let tokenColumns = {};
  let replacesBot = false;
  if (changes.bot_token !== undefined) {
    const bot = await verifyBotToken(changes.bot_token);
    await assertBotFree(tenantId, bot.botId);
    replacesBot = bot.botId !== existing.botId;
    if (replacesBot) await forgetWebhookOfBot(existing);
    tokenColumns = { ...botColumns(changes.bot_token, bot), ...(replacesBot ? freshWebhookColumns() : {}) };
  }
  const row = await db().$transaction(async (tx) => {
    if (replacesBot) await tx.telegramChat.deleteMany({ where: { integrationId: existing.id } });
    return tx.telegramIntegration.update({
      where: { tenantId },
      data: {
        ...tokenColumns,
        ...(changes.owner_chat_id !== undefined ? { ownerChatId: changes.owner_chat_id === null ? null : BigInt(changes.owner_chat_id) } : {}),
        ...(changes.is_active !== undefined ? { isActive: changes.is_active } : {}),
        ...(changes.welcome_message !== undefined ? { welcomeMessage: changes.welcome_message } : {}),
      },
    });
  });
  return toIntegrationDto(row);
}
