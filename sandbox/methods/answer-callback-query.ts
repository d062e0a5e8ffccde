import { badRequest } from "../bot-api-error";
import { utf16Length } from "../entities/formatted-text";
import type { MethodContext, MethodResult } from "./method-context";

const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
const MAX_TEXT_LENGTH = 200;
const MAX_CACHE_TIME_S = 30 * 24 * 60 * 60;

/** telegram-bot-api reads callback_query_id as a 64-bit integer; anything else becomes 0, which is no query. */
function queryIdOf(raw: string): string {
  const match = /^\s*(-?\d+)/.exec(raw);
  return match?.[1] === undefined ? "0" : BigInt(match[1]).toString();
}

/**
 * answerCallbackQuery: one answer per press, within Telegram's ~15 s; the toast or alert is
 * recorded on the callback query for tests to read.
 */
export function answerCallbackQuery({ state, bot, params }: MethodContext): MethodResult {
  const query = state.callbackQueries.get(queryIdOf(params.get("callback_query_id")));
  if (
    query === undefined ||
    query.bot_id !== bot.id ||
    query.answer !== null ||
    Date.now() - query.pressed_at > state.callbackQueryTimeoutMs
  ) {
    throw badRequest(QUERY_INVALID);
  }
  const text = params.get("text");
  if (utf16Length(text) > MAX_TEXT_LENGTH) {
    throw badRequest("MESSAGE_TOO_LONG"); // the server's code for a notification over 200 characters
  }
  const url = params.get("url");
  query.answer = {
    ...(text === "" ? {} : { text }),
    show_alert: params.bool("show_alert"),
    ...(url === "" ? {} : { url }),
    cache_time: params.integer("cache_time", 0, 0, MAX_CACHE_TIME_S),
    answered_at: Date.now(),
  };
  return { result: true };
}
