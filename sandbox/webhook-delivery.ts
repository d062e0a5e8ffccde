import type { Update } from "grammy/types";
import { ApiParams } from "./api-params";
import { BotApiError } from "./bot-api-error";
import { callMethod } from "./methods";
import type { BotRecord, DeliveryRecord, SandboxState, WebhookRecord } from "./state";
import { confirmUpdate, enqueueUpdate } from "./update-queue";
import { updateTypeOf } from "./updates";

export interface DeliveryOptions {
  /**
   * Origin (e.g. "http://127.0.0.1:3000") that replaces the scheme, host and port of the
   * registered https URL, like a TLS-terminating proxy in front of the app. Path is kept.
   */
  deliverTo: string | undefined;
  timeoutMs: number;
  /** Aborts deliveries in flight, e.g. when the sandbox shuts down. */
  abort?: AbortSignal;
}

/** The outcome of a delivery, as the control API reports it. */
export interface DeliveryOutcome extends DeliveryRecord {
  /** What happened to a method the app returned in its response body, if any. */
  webhook_reply?: { method: string; ok: boolean; description?: string };
}

export function deliveryUrl(registeredUrl: string, deliverTo: string | undefined): string {
  const registered = new URL(
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(registeredUrl) ? registeredUrl : `https://${registeredUrl}`,
  );
  if (deliverTo === undefined || deliverTo === "") {
    return registered.href;
  }
  const target = new URL(deliverTo);
  const prefix = target.pathname.replace(/\/+$/, "");
  return `${target.origin}${prefix}${registered.pathname}${registered.search}`;
}

/** Telegram's wording for transport failures, as shown in getWebhookInfo.last_error_message. */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "Read timeout expired";
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "Connection refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "Connection reset by peer";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "Failed to resolve host: Name or service not known";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Telegram lets the app answer a webhook with a method call in the body; it executes it and
 * never tells the app the outcome.
 */
async function executeWebhookReply(
  state: SandboxState,
  bot: BotRecord,
  contentType: string,
  body: string,
  signal: AbortSignal,
): Promise<DeliveryOutcome["webhook_reply"]> {
  if (!contentType.toLowerCase().includes("application/json") || body.trim() === "") {
    return undefined;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return undefined;
  }
  const params = ApiParams.fromRecord(payload as Record<string, unknown>);
  const method = params.get("method");
  const lower = method.toLowerCase();
  // The same exclusions as telegram-bot-api's WebhookActor.
  if (method === "" || lower.startsWith("get") || ["deletewebhook", "setwebhook", "close", "logout"].includes(lower)) {
    return undefined;
  }
  try {
    await callMethod(state, bot, method, params, "webhook_reply", signal);
    return { method, ok: true };
  } catch (error) {
    if (error instanceof BotApiError) {
      return { method, ok: false, description: error.description };
    }
    throw error;
  }
}

function recordFailure(bot: BotRecord, message: string): void {
  bot.lastWebhookError = { date: Math.floor(Date.now() / 1000), message };
}

type Finish = (
  outcome: Omit<DeliveryOutcome, "bot_id" | "update_id" | "update" | "at" | "duration_ms">,
) => DeliveryOutcome;

/** Records the outcome of one delivery attempt in the control API's delivery log. */
function deliveryRecorder(state: SandboxState, bot: BotRecord, update: Update): Finish {
  const startedAt = performance.now();
  const base = { bot_id: bot.id, update_id: update.update_id, update, at: Date.now() };
  return (outcome) => {
    const record: DeliveryOutcome = { ...base, ...outcome, duration_ms: performance.now() - startedAt };
    state.deliveries.push(record);
    return record;
  };
}

/**
 * Queues a new update (unless allowed_updates filters it out) and, when a webhook is set,
 * delivers it right away; without one it waits for getUpdates.
 */
export async function deliverUpdate(
  state: SandboxState,
  bot: BotRecord,
  update: Update,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const finish = deliveryRecorder(state, bot, update);
  if (!enqueueUpdate(state, bot, update)) {
    return finish({
      target_url: undefined,
      delivered: false,
      error: `update type "${updateTypeOf(update)}" is not in allowed_updates`,
    });
  }
  if (bot.webhook === undefined) {
    return finish({ target_url: undefined, delivered: false, error: "no webhook is set; the update stays pending" });
  }
  return postToWebhook(state, bot, bot.webhook, update, options, finish);
}

/**
 * Delivers a queued update the way Telegram's WebhookActor does: POST JSON with the secret
 * header; a 2xx answer confirms it, a non-2xx answer or a network failure sets last_error_*
 * and leaves it pending.
 */
async function postToWebhook(
  state: SandboxState,
  bot: BotRecord,
  webhook: WebhookRecord,
  update: Update,
  options: DeliveryOptions,
  finish: Finish,
): Promise<DeliveryOutcome> {
  const targetUrl = deliveryUrl(webhook.url, options.deliverTo);
  const headers: Record<string, string> = { "Content-Type": "application/json", "Accept-Encoding": "gzip, deflate" };
  if (webhook.secretToken !== "") {
    headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secretToken;
  }
  let response: Response;
  let body: string;
  try {
    response = await fetch(targetUrl, {
      method: "POST",
      headers,
      body: JSON.stringify(update),
      signal:
        options.abort === undefined
          ? AbortSignal.timeout(options.timeoutMs)
          : AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.abort]),
    });
    body = await response.text();
  } catch (error) {
    const message = describeNetworkError(error);
    recordFailure(bot, message);
    return finish({ target_url: targetUrl, delivered: false, error: message });
  }

  if (response.status < 200 || response.status > 299) {
    const message = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
    recordFailure(bot, message);
    return finish({ target_url: targetUrl, delivered: false, status: response.status, error: message });
  }
  confirmUpdate(bot, update.update_id);
  const webhookReply = await executeWebhookReply(
    state,
    bot,
    response.headers.get("content-type") ?? "",
    body,
    options.abort ?? new AbortController().signal,
  );
  return finish({
    target_url: targetUrl,
    delivered: true,
    status: response.status,
    ...(webhookReply === undefined ? {} : { webhook_reply: webhookReply }),
  });
}

/** Retries pending updates in order, stopping at the first failure, as Telegram's queue would. */
export async function redeliverPending(
  state: SandboxState,
  bot: BotRecord,
  options: DeliveryOptions,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const update of [...bot.pendingUpdates]) {
    if (bot.webhook === undefined) {
      break;
    }
    const outcome = await postToWebhook(state, bot, bot.webhook, update, options, deliveryRecorder(state, bot, update));
    outcomes.push(outcome);
    if (!outcome.delivered) {
      break;
    }
  }
  return outcomes;
}
