import "server-only";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { Api, type Transformer } from "grammy";
import { config } from "@/lib/config";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { decryptBotToken } from "./token-vault";

/**
 * The one door to the Bot API: grammY's typed `Api` (no polling, no bot framework), rooted
 * at TELEGRAM_API_URL, whose every failure comes out as one of two token-free errors.
 * grammY's own errors keep the request payload and the underlying fetch error, whose text
 * can contain the request URL (and with it the token); the transformer below replaces them
 * before any caller sees them, so no call can forget to.
 */

/** The longest a Bot API call (other than a long poll's wait) may take before it is given up. */
export const REQUEST_TIMEOUT_SECONDS = 10;

/** Telegram answered and refused: a 4xx (or a 5xx envelope) with its own description. */
export class TelegramRefusal extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly retryAfterSeconds: number | undefined,
    readonly migrateToChatId: number | undefined,
  ) {
    super(description);
    this.name = "TelegramRefusal";
  }

  /** Telegram's own trouble (5xx) or flood control: worth trying again later. */
  get isTransient(): boolean {
    return this.errorCode >= 500 || this.errorCode === 429;
  }
}

/** Telegram could not be reached, timed out, or answered something that is not the Bot API. */
export class TelegramUnavailable extends Error {
  constructor(readonly method: string) {
    super(`Telegram API unavailable (${method})`);
    this.name = "TelegramUnavailable";
  }
}

/**
 * Runs under every call. grammY's HttpError (network, timeout, a proxy's HTML page) is
 * dropped without keeping it as a cause; a refusal is thrown here, before grammY builds
 * its GrammyError from the answer.
 */
const tokenFreeFailures: Transformer = async (prev, method, payload, signal) => {
  let answer: Awaited<ReturnType<typeof prev>>;
  try {
    answer = await prev(method, payload, signal);
  } catch {
    throw new TelegramUnavailable(method);
  }
  if (answer.ok) return answer;
  if (typeof answer.error_code !== "number" || typeof answer.description !== "string")
    throw new TelegramUnavailable(method);
  throw new TelegramRefusal(
    answer.error_code,
    answer.description,
    answer.parameters?.retry_after,
    answer.parameters?.migrate_to_chat_id,
  );
};

/**
 * How long a kept-alive connection to the Bot API may lie idle before it is closed on our
 * side. A server closes idle connections in its own time, and a call written onto one just
 * as it does fails as a reset that Telegram never saw (the sandbox closes after 5 s; clients
 * reusing old connections to Telegram's servers saw the same). grammY's own agent keeps idle
 * connections forever, and Node's agent honours a server's `Keep-Alive: timeout=N` (closing
 * 1 s before it) only when it has a timeout of its own. 4 s is what Node's fetch (undici)
 * keeps them when the server says nothing.
 */
const IDLE_CONNECTION_MS = 4_000;

let keptAlive: HttpAgent | undefined;

/** One pool of connections per process for the one Bot API root (the socket timeout only closes idle ones). */
function keepAliveAgent(apiRoot: string): HttpAgent {
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
  keptAlive ??= apiRoot.startsWith("https:") ? new HttpsAgent(options) : new HttpAgent(options);
  return keptAlive;
}

/**
 * `longPollSeconds`: a getUpdates that Telegram may hold open that long before it answers;
 * the request's own timeout then starts after it.
 */
type OpenOptions = { longPollSeconds?: number };

function openTelegram(token: string, { longPollSeconds = 0 }: OpenOptions = {}): Api {
  const timeoutSeconds = REQUEST_TIMEOUT_SECONDS + longPollSeconds;
  const apiRoot = config().telegramApiUrl;
  const api = new Api(token, { apiRoot, timeoutSeconds, baseFetchConfig: { agent: keepAliveAgent(apiRoot) } });
  api.config.use(tokenFreeFailures);
  return api;
}

/** The Bot API as the integration's bot; throws BotTokenUnreadable when the stored token cannot be decrypted. */
export function telegramFor(
  integration: Pick<TelegramIntegration, "botTokenEncrypted">,
  options: OpenOptions = {},
): Api {
  return openTelegram(decryptBotToken(integration.botTokenEncrypted), options);
}

/** The Bot API as a bot whose token is not stored yet: only to verify a token before saving it. */
export function telegramForToken(token: string): Api {
  return openTelegram(token);
}
