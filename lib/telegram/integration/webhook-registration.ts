import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { wakeBotPoller } from "@/lib/leads/delivery/wake-lane";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { ApiError } from "@/lib/http/api-error";
import type { WebhookActionResponse, WebhookUrlResponse } from "@/lib/schemas/telegram";
import { telegramFor } from "../bot-api";
import { clearPollingStop } from "../polling/polling-writes";
import { telegramFailureMessage } from "../telegram-failure-message";
import { requireIntegration } from "./find-integration";

export const WEBHOOK_ROUTE = "/api/v1/telegram/webhook/";
/**
 * The update kinds the receiver acts on, by webhook or by polling; Telegram sends nothing
 * else. callback_query (button presses) is asked for ahead of its handling, which comes
 * with the notification buttons (issue 11): webhooks registered now need not be set again.
 */
export const ALLOWED_UPDATES = ["message", "my_chat_member", "callback_query"] as const;

const NOT_CONFIGURED =
  "PUBLIC_API_URL not configured. Set PUBLIC_API_URL environment variable to your domain (e.g., https://yourdomain.com)";

export function webhookPath(integration: Pick<TelegramIntegration, "webhookPathId">): string {
  return WEBHOOK_ROUTE + integration.webhookPathId;
}

export function describeWebhookUrl(
  publicApiUrl: string | undefined,
  integration: Pick<TelegramIntegration, "webhookPathId">,
): WebhookUrlResponse {
  if (!publicApiUrl) return { webhook_url: "", is_configured: false, message: NOT_CONFIGURED };
  return { webhook_url: publicApiUrl + webhookPath(integration), is_configured: true, message: null };
}

/** GET /api/v1/telegram/integration/webhook-url */
export async function getWebhookUrl(tenantId: string): Promise<WebhookUrlResponse> {
  return describeWebhookUrl(config().publicApiUrl, await requireIntegration(tenantId));
}

/**
 * Another host than PUBLIC_API_URL is fine (a tunnel during development), but the URL must
 * be https, as Telegram requires, and must end with this integration's own path, so a
 * tenant cannot point its bot at another tenant's receiver.
 */
function chooseWebhookUrl(requested: string | null | undefined, integration: TelegramIntegration): string {
  const publicApiUrl = config().publicApiUrl;
  const url = requested || (publicApiUrl ? publicApiUrl + webhookPath(integration) : null);
  if (!url) throw new ApiError(400, "public_api_url_missing", NOT_CONFIGURED);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ApiError(400, "webhook_url_invalid", "webhook_url must be an absolute https URL");
  }
  if (parsed.protocol !== "https:")
    throw new ApiError(400, "webhook_url_invalid", "webhook_url must use https (Telegram requires it)");
  if (parsed.pathname !== webhookPath(integration) || parsed.search || parsed.hash) {
    throw new ApiError(
      400,
      "webhook_url_invalid",
      `webhook_url must end with this integration's webhook path ${webhookPath(integration)}`,
    );
  }
  return parsed.toString();
}

/**
 * Saves what Telegram now has. A webhook ends polling for the bot, its removal resumes it;
 * either is the owner's answer to a stopped poller, which may then try again.
 */
async function recordWebhook(integrationId: string, webhook: { webhookUrl: string | null; isWebhookActive: boolean }) {
  await db().$transaction(async (tx) => {
    await tx.telegramIntegration.update({ where: { id: integrationId }, data: webhook });
    await clearPollingStop(tx, integrationId);
  });
  wakeBotPoller(integrationId);
}

function failure(error: unknown): WebhookActionResponse {
  return { success: false, message: telegramFailureMessage(error) };
}

/** POST /api/v1/telegram/integration/webhook — Telegram's refusal is reported, never as success. */
export async function registerWebhook(
  tenantId: string,
  requestedUrl: string | null | undefined,
): Promise<WebhookActionResponse> {
  const integration = await requireIntegration(tenantId);
  const url = chooseWebhookUrl(requestedUrl, integration);
  try {
    await telegramFor(integration).setWebhook(url, {
      secret_token: integration.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
  } catch (error) {
    return failure(error);
  }
  await recordWebhook(integration.id, { webhookUrl: url, isWebhookActive: true });
  return { success: true, message: "Webhook registered successfully" };
}

/** DELETE /api/v1/telegram/integration/webhook */
export async function removeWebhook(tenantId: string): Promise<WebhookActionResponse> {
  const integration = await requireIntegration(tenantId);
  try {
    await telegramFor(integration).deleteWebhook();
  } catch (error) {
    return failure(error);
  }
  await recordWebhook(integration.id, { webhookUrl: null, isWebhookActive: false });
  return { success: true, message: "Webhook removed" };
}
