import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { badRequest } from "../bot-api-error";
import type { ApiParams } from "../api-params";
import { utf16Length } from "../entities/formatted-text";

/**
 * Reply markup in two steps, as Telegram handles it: telegram-bot-api's get_reply_markup
 * parses the JSON (its wording, before the chat is looked at), then Telegram's server checks
 * the buttons' contents (raw error codes such as BUTTON_DATA_INVALID, after the chat).
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Present-only button kinds, in the order telegram-bot-api tries them after url and callback_data. */
const FLAG_BUTTON_KINDS = [
  "callback_game",
  "pay",
  "switch_inline_query",
  "switch_inline_query_chosen_chat",
  "switch_inline_query_current_chat",
  "login_url",
  "web_app",
  "copy_text",
] as const;

const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_COPY_TEXT_LENGTH = 256;

/** Returns the inline keyboard (the only markup a Message echoes back), if any. */
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
  const rows = (inline as unknown[][]).map((row) => row.map(parseInlineButton));
  return rows.length === 0 ? undefined : { inline_keyboard: rows };
}

/** A malformed button, worded like td's JSON accessors; reported after "can't parse inline keyboard button: ". */
class ButtonParseError extends Error {}

/** td's JsonObject string fields: strings, or numbers taken as their text. */
function stringField(object: Record<string, unknown>, name: string): string | undefined {
  const value = object[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number") {
    return String(value);
  }
  throw new ButtonParseError(`Field "${name}" must be of type String`);
}

function requiredStringField(object: Record<string, unknown>, name: string): string {
  const value = stringField(object, name);
  if (value === undefined) {
    throw new ButtonParseError(`Can't find field "${name}"`);
  }
  return value;
}

/**
 * One button as telegram-bot-api reads it: the first kind it recognises wins (an empty url or
 * callback_data counts as absent), and the Message echoes only that kind.
 */
function parseInlineButton(button: unknown): InlineKeyboardButton {
  try {
    if (!isRecord(button)) {
      throw new ButtonParseError("InlineKeyboardButton must be an Object");
    }
    const text = requiredStringField(button, "text");
    const url = stringField(button, "url");
    if (url !== undefined && url !== "") {
      return { text, url };
    }
    const callbackData = stringField(button, "callback_data");
    if (callbackData !== undefined && callbackData !== "") {
      return { text, callback_data: callbackData };
    }
    const kind = FLAG_BUTTON_KINDS.find((name) => button[name] !== undefined);
    if (kind === "copy_text") {
      const copyText = button.copy_text;
      if (!isRecord(copyText)) {
        throw new ButtonParseError('Field "copy_text" must be of type Object');
      }
      return { text, copy_text: { text: requiredStringField(copyText, "text") } };
    }
    if (kind === undefined) {
      throw new ButtonParseError("Text buttons are unallowed in the inline keyboard");
    }
    return { text, [kind]: button[kind] } as unknown as InlineKeyboardButton;
  } catch (error) {
    if (error instanceof ButtonParseError) {
      throw badRequest(`can't parse inline keyboard button: ${error.message}`);
    }
    throw error;
  }
}

/**
 * What Telegram's server refuses in buttons, with its raw error codes: empty button text,
 * callback_data over 64 bytes, copy_text outside 1-256 characters. BUTTON_COPY_TEXT_INVALID is
 * the server's code for a bad copy_text (seen for an empty one in go-telegram/bot#167 and in
 * Telegram's MTProto error lists); the sandbox gives it for both ends of the range.
 */
export function checkInlineKeyboard(markup: InlineKeyboardMarkup | undefined): void {
  for (const button of markup?.inline_keyboard.flat() ?? []) {
    if (button.text.trim() === "") {
      throw badRequest("BUTTON_TEXT_INVALID");
    }
    if ("callback_data" in button && Buffer.byteLength(button.callback_data) > MAX_CALLBACK_DATA_BYTES) {
      throw badRequest("BUTTON_DATA_INVALID");
    }
    if ("copy_text" in button) {
      const length = utf16Length(button.copy_text.text);
      if (length === 0 || length > MAX_COPY_TEXT_LENGTH) {
        throw badRequest("BUTTON_COPY_TEXT_INVALID");
      }
    }
  }
}
