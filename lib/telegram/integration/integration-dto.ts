import "server-only";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { formatMaskedToken } from "../mask-bot-token";

export function toIntegrationDto(row: TelegramIntegration): IntegrationDto {
  return {
    id: row.id,
    tenant_id: row.tenantId,
    bot_username: row.botUsername,
    owner_chat_id: row.ownerChatId === null ? null : Number(row.ownerChatId),
    webhook_url: row.webhookUrl,
    is_webhook_active: row.isWebhookActive,
    is_active: row.isActive,
    welcome_message: row.welcomeMessage,
    created_at: isoTimestamp(row.createdAt),
    updated_at: isoTimestamp(row.updatedAt),
    bot_token_masked: formatMaskedToken(row.botId.toString(), row.botTokenLast4),
  };
}
