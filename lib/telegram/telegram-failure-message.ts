import "server-only";
import { TelegramRefusal } from "./bot-api";
import { BotTokenUnreadable } from "./token-vault";

export const TELEGRAM_UNAVAILABLE = "Telegram API unavailable, try again";

/**
 * What to tell the owner when a Bot API call failed. Telegram's own words when it refused
 * for a reason they can act on (blocked, chat not found, flood control); never Telegram's
 * "Internal Server Error", which would read as our failure.
 */
export function telegramFailureMessage(error: unknown): string {
  if (error instanceof TelegramRefusal && (error.errorCode === 429 || !error.isTransient)) return error.description;
  if (error instanceof BotTokenUnreadable) return error.message;
  return TELEGRAM_UNAVAILABLE;
}
