import "server-only";
import { Api, GrammyError } from "grammy";
import { config } from "@/lib/config";

/**
 * The Bot API as Leadgram uses it: grammY's typed `Api` (no polling, no bot framework),
 * rooted at TELEGRAM_API_URL, with failures reduced to two typed errors. Neither error
 * carries the token: grammY's own errors keep the request payload and the underlying
 * fetch error, whose text can contain the request URL (and with it the token).
 */

const REQUEST_TIMEOUT_SECONDS = 10;

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

export function botApi(token: string): Api {
  return new Api(token, { apiRoot: config().telegramApiUrl, timeoutSeconds: REQUEST_TIMEOUT_SECONDS });
}

/** Runs one Bot API call and rethrows its failure as TelegramRefusal or TelegramUnavailable. */
export async function callTelegram<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GrammyError) {
      throw new TelegramRefusal(error.error_code, error.description, error.parameters.retry_after, error.parameters.migrate_to_chat_id);
    }
    // HttpError (network, timeout, a proxy's HTML error page) or anything else on the wire.
    throw new TelegramUnavailable(method);
  }
}
