import "server-only";
import type { TelegramIntegration, TelegramPolling } from "@/lib/db/generated/sqlite/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { IntegrationDto, PollingErrorDto, UpdatesVia } from "@/lib/schemas/telegram";
import { formatMaskedToken } from "../mask-bot-token";

type PollingState = Pick<TelegramPolling, "errorCode" | "errorMessage"> | null;

function pollingError(polling: PollingState): PollingErrorDto | null {
  if (!polling?.errorCode) return null;
  return { code: polling.errorCode as PollingErrorDto["code"], message: polling.errorMessage ?? "" };
}

/** How the bot's updates reach the server: its webhook, polling while there is none, or not at all. */
function updatesVia(row: TelegramIntegration, error: PollingErrorDto | null): UpdatesVia {
  if (row.isWebhookActive) return "webhook";
  return row.isActive && !error ? "polling" : "none";
}

export function toIntegrationDto(row: TelegramIntegration & { polling: PollingState }): IntegrationDto {
  const error = pollingError(row.polling);
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
    updates_via: updatesVia(row, error),
    polling_error: error,
  };
}
