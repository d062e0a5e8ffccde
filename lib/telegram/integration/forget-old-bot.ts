import "server-only";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import { telegramFor } from "../bot-api";

/**
 * When an integration stops using a bot (deleted, or its token replaced by another bot's),
 * ask Telegram to stop sending that bot's updates here. Best effort: the bot may already
 * be revoked, or the stored token unreadable; neither may block the owner.
 */
export async function forgetWebhookOfBot(integration: TelegramIntegration): Promise<void> {
  if (!integration.isWebhookActive) return;
  try {
    await telegramFor(integration).deleteWebhook();
  } catch (error) {
    log.warn(
      { integration: integration.id, err: error instanceof Error ? error.message : String(error) },
      "could not remove the old bot's webhook",
    );
  }
}
