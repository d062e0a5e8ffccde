import { isIP } from "node:net";
import type { WebhookInfo } from "grammy/types";
import { badRequest, tooManyRequests } from "../bot-api-error";
import type { ApiParams } from "../api-params";
import { readAllowedUpdates } from "../allowed-updates";
import { TERMINATED_BY_SET_WEBHOOK } from "../long-polls";
import type { BotRecord, SandboxState } from "../state";
import { dropPendingUpdates } from "../update-queue";
import type { MethodContext, MethodResult } from "./method-context";

const DEFAULT_MAX_CONNECTIONS = 40;
const MAX_MAX_CONNECTIONS = 100;
const ALLOWED_PORTS = new Set([80, 88, 443, 8443]);
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]*$/;

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

function clearWebhook(bot: BotRecord, dropPending: boolean): boolean {
  const hadWebhook = bot.webhook !== undefined;
  bot.webhook = undefined;
  bot.lastWebhookError = undefined;
  if (dropPending) {
    dropPendingUpdates(bot);
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
  return applyWebhook(state, bot, params, newUrl);
}

export function deleteWebhook({ state, bot, params }: MethodContext): MethodResult {
  return applyWebhook(state, bot, params, "");
}

function applyWebhook(state: SandboxState, bot: BotRecord, params: ApiParams, newUrl: string): MethodResult {
  const dropPendingUpdates = params.bool("drop_pending_updates");
  const maxConnections =
    newUrl === "" ? 0 : params.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, MAX_MAX_CONNECTIONS);
  const secretToken = newUrl === "" ? "" : params.get("secret_token");
  const ipAddress = newUrl === "" ? "" : params.get("ip_address");
  const current = bot.webhook;
  const allowedUpdates = readAllowedUpdates(params, bot.allowedUpdates);

  const unchanged =
    (current?.url ?? "") === newUrl &&
    (current?.maxConnections ?? 0) === maxConnections &&
    (current?.secretToken ?? "") === secretToken &&
    (current?.ipAddress ?? "") === ipAddress &&
    !dropPendingUpdates;
  if (unchanged) {
    bot.allowedUpdates = allowedUpdates;
    return { result: true, description: newUrl === "" ? "Webhook is already deleted" : "Webhook is already set" };
  }

  if (newUrl === "") {
    bot.allowedUpdates = allowedUpdates;
    const wasDeleted = clearWebhook(bot, dropPendingUpdates);
    return { result: true, description: wasDeleted ? "Webhook was deleted" : "Webhook is already deleted" };
  }

  // telegram-bot-api ends a held getUpdates before it even looks at the new URL.
  state.longPolls.terminate(bot.id, TERMINATED_BY_SET_WEBHOOK);
  const url = validateWebhookUrl(newUrl);
  if (secretToken.length > 256) {
    throw badRequest("secret token is too long");
  }
  if (!SECRET_TOKEN_PATTERN.test(secretToken)) {
    throw badRequest("secret token contains unallowed characters");
  }
  checkReachability(url);

  clearWebhook(bot, dropPendingUpdates);
  bot.allowedUpdates = allowedUpdates;
  bot.webhook = { url: newUrl, secretToken, maxConnections, ipAddress };
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
  }
  // Shown whenever it differs from the default, with or without a webhook, like telegram-bot-api.
  if (bot.allowedUpdates !== undefined) {
    info.allowed_updates = bot.allowedUpdates as WebhookInfo["allowed_updates"];
  }
  return { result: info };
}
