import { isIP } from "node:net";
import type { WebhookInfo } from "grammy/types";
import { badRequest, tooManyRequests } from "../bot-api-error";
import type { ApiParams } from "../api-params";
import type { BotRecord } from "../state";
import type { MethodContext, MethodResult } from "./method-context";

const DEFAULT_MAX_CONNECTIONS = 40;
const MAX_MAX_CONNECTIONS = 100;
const ALLOWED_PORTS = new Set([80, 88, 443, 8443]);
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Update types Telegram knows; unknown names in allowed_updates are ignored like the real API. */
const UPDATE_TYPES = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "message_reaction",
  "message_reaction_count",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "purchased_paid_media",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
];

/** Without allowed_updates Telegram sends everything but these opt-in types. */
const OPT_IN_UPDATE_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export function isUpdateTypeAllowed(allowedUpdates: string[] | undefined, type: string): boolean {
  return allowedUpdates === undefined || allowedUpdates.length === 0
    ? !OPT_IN_UPDATE_TYPES.has(type)
    : allowedUpdates.includes(type);
}

/** An absent or unparsable allowed_updates keeps the previous setting, as documented. */
function readAllowedUpdates(params: ApiParams, previous: string[] | undefined): string[] | undefined {
  const raw = params.get("allowed_updates");
  if (raw === "") {
    return previous;
  }
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) {
      return previous;
    }
    const known = parsed.filter((type): type is string => typeof type === "string" && UPDATE_TYPES.includes(type));
    return known.length === 0 ? undefined : [...new Set(known)];
  } catch {
    return previous;
  }
}

function isReservedIp(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIP(bare) === 6) {
    return true; // Telegram refuses IPv6-only webhooks; reported with the reserved wording here.
  }
  if (isIP(bare) !== 4) {
    return false;
  }
  const [a = 0, b = 0] = bare.split(".").map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** Checks a webhook URL like telegram-bot-api (parse_url with https as default scheme, then WebhookActor). */
function validateWebhookUrl(rawUrl: string): URL {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(rawUrl) ? rawUrl : `https://${rawUrl}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw badRequest("invalid webhook URL specified");
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw badRequest("invalid webhook URL specified");
  }
  return url;
}

function checkReachability(url: URL): void {
  if (url.protocol === "http:") {
    throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
  }
  const port = url.port === "" ? 443 : Number(url.port);
  if (!ALLOWED_PORTS.has(port)) {
    throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  }
  if (isReservedIp(url.hostname)) {
    throw badRequest(`bad webhook: IP address ${url.hostname.replace(/^\[|\]$/g, "")} is reserved`);
  }
}

function clearWebhook(bot: BotRecord, dropPendingUpdates: boolean): boolean {
  const hadWebhook = bot.webhook !== undefined;
  bot.webhook = undefined;
  bot.lastWebhookError = undefined;
  if (dropPendingUpdates) {
    bot.pendingUpdates = [];
  }
  return hadWebhook;
}

export function setWebhook({ state, bot, params }: MethodContext): MethodResult {
  const newUrl = params.get("url");
  if (newUrl !== "" && state.flood.limits.enabled) {
    const now = performance.now();
    if (now < bot.nextSetWebhookAllowedAt) {
      state.stats.rate_limited += 1;
      throw tooManyRequests(1);
    }
    bot.nextSetWebhookAllowedAt = now + 1000;
  }
  return applyWebhook(bot, params, newUrl);
}

export function deleteWebhook({ bot, params }: MethodContext): MethodResult {
  return applyWebhook(bot, params, "");
}

function applyWebhook(bot: BotRecord, params: ApiParams, newUrl: string): MethodResult {
  const dropPendingUpdates = params.bool("drop_pending_updates");
  const maxConnections =
    newUrl === "" ? 0 : params.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, MAX_MAX_CONNECTIONS);
  const secretToken = newUrl === "" ? "" : params.get("secret_token");
  const ipAddress = newUrl === "" ? "" : params.get("ip_address");
  const current = bot.webhook;
  const allowedUpdates = readAllowedUpdates(params, current?.allowedUpdates);

  const unchanged =
    (current?.url ?? "") === newUrl &&
    (current?.maxConnections ?? 0) === maxConnections &&
    (current?.secretToken ?? "") === secretToken &&
    (current?.ipAddress ?? "") === ipAddress &&
    !dropPendingUpdates;
  if (unchanged) {
    if (current !== undefined) {
      current.allowedUpdates = allowedUpdates;
    }
    return { result: true, description: newUrl === "" ? "Webhook is already deleted" : "Webhook is already set" };
  }

  if (newUrl === "") {
    const wasDeleted = clearWebhook(bot, dropPendingUpdates);
    return { result: true, description: wasDeleted ? "Webhook was deleted" : "Webhook is already deleted" };
  }

  const url = validateWebhookUrl(newUrl);
  if (secretToken.length > 256) {
    throw badRequest("secret token is too long");
  }
  if (!SECRET_TOKEN_PATTERN.test(secretToken)) {
    throw badRequest("secret token contains unallowed characters");
  }
  checkReachability(url);

  clearWebhook(bot, dropPendingUpdates);
  bot.webhook = { url: newUrl, secretToken, maxConnections, allowedUpdates, ipAddress };
  return { result: true, description: "Webhook was set" };
}

export function getWebhookInfo({ bot }: MethodContext): MethodResult {
  const webhook = bot.webhook;
  const info: WebhookInfo = {
    url: webhook?.url ?? "",
    has_custom_certificate: false,
    pending_update_count: bot.pendingUpdates.length,
  };
  if (bot.lastWebhookError !== undefined) {
    info.last_error_date = bot.lastWebhookError.date;
    info.last_error_message = bot.lastWebhookError.message;
  }
  if (webhook !== undefined) {
    info.max_connections = webhook.maxConnections;
    info.ip_address = webhook.ipAddress === "" ? "<unknown>" : webhook.ipAddress;
    if (webhook.allowedUpdates !== undefined) {
      info.allowed_updates = webhook.allowedUpdates as WebhookInfo["allowed_updates"];
    }
  }
  return { result: info };
}
