import "server-only";
import { ApiError } from "@/lib/http/api-error";
import { log } from "@/lib/log";
import { TelegramRefusal, telegramForToken } from "../bot-api";
import { splitBotToken } from "../mask-bot-token";
import { TELEGRAM_UNAVAILABLE } from "../telegram-failure-message";

const INVALID_TOKEN = "Invalid Telegram bot token: Could not validate token with Telegram";

export type VerifiedBot = { botId: bigint; username: string; lastFour: string };

/**
 * Asks Telegram who the token belongs to (getMe). A refusal means the token is wrong
 * (400); an outage or Telegram's own 5xx says nothing about the token (502), so a good
 * token is never called invalid because the network failed.
 */
export async function verifyBotToken(token: string): Promise<VerifiedBot> {
  const parts = splitBotToken(token);
  // A malformed token never leaves the server: it would only be refused, and its text
  // becomes part of a URL path.
  if (!parts) throw new ApiError(400, "invalid_bot_token", INVALID_TOKEN);
  try {
    const me = await telegramForToken(token).getMe();
    if (String(me.id) !== parts.botId || !me.username) throw new ApiError(400, "invalid_bot_token", INVALID_TOKEN);
    log.info({ bot: me.username }, "bot token verified with Telegram");
    return { botId: BigInt(me.id), username: me.username, lastFour: parts.lastFour };
  } catch (error) {
    if (error instanceof TelegramRefusal && !error.isTransient)
      throw new ApiError(400, "invalid_bot_token", INVALID_TOKEN);
    if (error instanceof ApiError) throw error;
    log.warn({ err: error instanceof Error ? error.message : String(error) }, "getMe failed: Telegram unavailable");
    throw new ApiError(502, "telegram_unavailable", TELEGRAM_UNAVAILABLE);
  }
}
