import "server-only";
import { db } from "@/lib/db/client";
import { wakeBotPoller } from "@/lib/leads/delivery/wake-lane";
import { forgetWebhookOfBot } from "./forget-old-bot";
import { requireIntegration } from "./find-integration";

/**
 * DELETE /api/v1/telegram/integration: removes the webhook at Telegram (best effort), then
 * the row; the bot's poller, if any, finds it gone and stops.
 */
export async function deleteIntegration(tenantId: string): Promise<void> {
  const integration = await requireIntegration(tenantId);
  await forgetWebhookOfBot(integration);
  await db().telegramIntegration.delete({ where: { tenantId } });
  wakeBotPoller(integration.id);
}
