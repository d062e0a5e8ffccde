import type { LinkPreviewOptions, MessageEntity } from "grammy/types";
import { badRequest } from "../bot-api-error";
import {
  EntityParseError,
  UnsupportedParseModeError,
  finalizeText,
  utf16Length,
  type FormattedText,
} from "../entities/formatted-text";
import { parseMarkup } from "../entities/html";
import type { ApiParams } from "../api-params";

/** The text parameters of sendMessage and editMessageText, read as telegram-bot-api reads them. */

export const MAX_MESSAGE_LENGTH = 4096;
/** telegram-bot-api refuses raw texts over 32 KiB before parsing anything. */
const MAX_RAW_TEXT_BYTES = 1 << 15;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseLinkPreviewOptions(params: ApiParams): LinkPreviewOptions | undefined {
  const options = params.json("link_preview_options", "Can't parse link preview options JSON object");
  if (options === undefined) {
    return params.bool("disable_web_page_preview") ? { is_disabled: true } : undefined;
  }
  if (!isRecord(options)) {
    throw badRequest("Object expected as link preview options");
  }
  return options as LinkPreviewOptions;
}

/** Explicit entities are only read without parse_mode, as in telegram-bot-api. */
function explicitEntities(params: ApiParams): MessageEntity[] {
  try {
    const entities = JSON.parse(params.get("entities")) as unknown;
    return Array.isArray(entities) ? entities.filter(isEntityLike) : [];
  } catch {
    return [];
  }
}

function isEntityLike(value: unknown): value is MessageEntity {
  return (
    isRecord(value) &&
    typeof value.type === "string" &&
    typeof value.offset === "number" &&
    typeof value.length === "number"
  );
}

/** The text parameter, checked and parsed the way telegram-bot-api does before anything else. */
export function readMessageText(params: ApiParams): { rawText: string; parsed: FormattedText } {
  const rawText = params.get("text");
  if (rawText === "") {
    throw badRequest("message text is empty");
  }
  if (Buffer.byteLength(rawText) > MAX_RAW_TEXT_BYTES) {
    throw badRequest("text is too long");
  }
  const parseMode = params.get("parse_mode");
  try {
    const parsed = parseMarkup(rawText, parseMode);
    return { rawText, parsed: parseMode === "" ? { text: rawText, entities: explicitEntities(params) } : parsed };
  } catch (error) {
    if (error instanceof EntityParseError) {
      throw badRequest(`can't parse entities: ${error.message}`);
    }
    if (error instanceof UnsupportedParseModeError) {
      throw badRequest(error.message);
    }
    throw error;
  }
}

/** What Telegram checks while sending: text left after trimming, and its length. */
export function finalMessageText(parsed: FormattedText): FormattedText {
  const text = finalizeText(parsed);
  if (text === undefined) {
    throw badRequest("text must be non-empty");
  }
  if (utf16Length(text.text) > MAX_MESSAGE_LENGTH) {
    throw badRequest("message is too long");
  }
  return text;
}
