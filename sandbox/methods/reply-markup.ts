import type { InlineKeyboardMarkup } from "grammy/types";
import { badRequest } from "../bot-api-error";
import type { ApiParams } from "../api-params";

/**
 * The parts of telegram-bot-api's get_reply_markup an app is likely to trip over, with its
 * wording. Returns the inline keyboard (the only markup a Message echoes back), if any.
 */

const INLINE_BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "callback_game",
  "pay",
  "login_url",
  "web_app",
  "copy_text",
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseReplyMarkup(params: ApiParams): InlineKeyboardMarkup | undefined {
  const markup = params.json("reply_markup", "Can't parse reply keyboard markup JSON object");
  if (markup === undefined) {
    return undefined;
  }
  if (!isRecord(markup)) {
    throw badRequest("Object expected as reply markup");
  }
  if (markup.keyboard !== undefined) {
    if (!Array.isArray(markup.keyboard) || !markup.keyboard.every(Array.isArray)) {
      throw badRequest('Field "keyboard" must be an Array of Arrays');
    }
  }
  const inline = markup.inline_keyboard;
  if (inline === undefined) {
    return undefined;
  }
  if (!Array.isArray(inline) || !inline.every(Array.isArray)) {
    throw badRequest('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of inline as unknown[][]) {
    for (const button of row) {
      checkInlineButton(button);
    }
  }
  return inline.length === 0 ? undefined : (markup as unknown as InlineKeyboardMarkup);
}

function checkInlineButton(button: unknown): void {
  const fail = (message: string) => badRequest(`can't parse inline keyboard button: ${message}`);
  if (!isRecord(button)) {
    throw fail("Object expected");
  }
  if (typeof button.text !== "string") {
    throw fail('Field "text" must be of type String');
  }
  if (!INLINE_BUTTON_ACTIONS.some((action) => button[action] !== undefined)) {
    throw fail("Text buttons are unallowed in the inline keyboard");
  }
  const data = button.callback_data;
  if (data !== undefined && (typeof data !== "string" || Buffer.byteLength(data) > 64 || data === "")) {
    // Telegram's server answers this one with its raw error code.
    throw badRequest("BUTTON_DATA_INVALID");
  }
}
