import type { ResponseParameters } from "grammy/types";

/** An error answered in Telegram's envelope; HTTP status equals error_code, as on api.telegram.org. */
export class BotApiError extends Error {
  override name = "BotApiError";

  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }

  toEnvelope(): { ok: false; error_code: number; description: string; parameters?: ResponseParameters } {
    return this.parameters === undefined
      ? { ok: false, error_code: this.errorCode, description: this.description }
      : { ok: false, error_code: this.errorCode, description: this.description, parameters: this.parameters };
  }
}

/**
 * Telegram's internal errors are capitalised; the Bot API lower-cases the first letter after
 * its prefix unless the message is an upper-case server code such as "BUTTON_DATA_INVALID".
 */
function botApiCase(message: string): string {
  const second = message.charAt(1);
  return second === "_" || (second >= "A" && second <= "Z")
    ? message
    : `${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

export const badRequest = (message: string): BotApiError => new BotApiError(400, `Bad Request: ${botApiCase(message)}`);

export const forbidden = (message: string): BotApiError => new BotApiError(403, `Forbidden: ${botApiCase(message)}`);

export const unauthorized = (detail?: string): BotApiError =>
  new BotApiError(401, detail === undefined ? "Unauthorized" : `Unauthorized: ${detail}`);

export const notFound = (): BotApiError => new BotApiError(404, "Not Found");

export const tooManyRequests = (retryAfter: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

export const internalServerError = (): BotApiError => new BotApiError(500, "Internal Server Error");
