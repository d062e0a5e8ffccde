import type { LinkPreviewOptions, Message, MessageEntity } from "grammy/types";
import { badRequest, tooManyRequests } from "../bot-api-error";
import { assertCanWrite, resolveChat } from "../chat-access";
import {
  EntityParseError,
  UnsupportedParseModeError,
  finalizeText,
  utf16Length,
  type FormattedText,
} from "../entities/formatted-text";
import { parseMarkup } from "../entities/html";
import type { ApiParams } from "../api-params";
import type { MethodContext, MethodResult } from "./method-context";
import { parseReplyMarkup } from "./reply-markup";

export const MAX_MESSAGE_LENGTH = 4096;
/** telegram-bot-api refuses raw texts over 32 KiB before parsing anything. */
const MAX_RAW_TEXT_BYTES = 1 << 15;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parseLinkPreviewOptions(params: ApiParams): LinkPreviewOptions | undefined {
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

function parseText(params: ApiParams, rawText: string): FormattedText {
  const parseMode = params.get("parse_mode");
  try {
    const parsed = parseMarkup(rawText, parseMode);
    return parseMode === "" ? { text: rawText, entities: explicitEntities(params) } : parsed;
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

function replyTarget(params: ApiParams): { messageId: number; allowWithoutReply: boolean } | undefined {
  const replyParameters = params.json("reply_parameters", "Can't parse reply parameters JSON object");
  if (replyParameters !== undefined) {
    if (!isRecord(replyParameters) || typeof replyParameters.message_id !== "number") {
      throw badRequest("Object expected as reply parameters");
    }
    return {
      messageId: replyParameters.message_id,
      allowWithoutReply: replyParameters.allow_sending_without_reply === true,
    };
  }
  const legacyId = params.integer("reply_to_message_id", 0, 0, Number.MAX_SAFE_INTEGER);
  return legacyId > 0
    ? { messageId: legacyId, allowWithoutReply: params.bool("allow_sending_without_reply") }
    : undefined;
}

/**
 * sendMessage, checking in telegram-bot-api's order: parameters and markup first, then the
 * chat, then what Telegram checks while sending (empty after trimming, length), then flood limits.
 */
export function sendMessage({ state, bot, params, via }: MethodContext): MethodResult {
  const linkPreviewOptions = parseLinkPreviewOptions(params);
  const rawText = params.get("text");
  if (rawText === "") {
    throw badRequest("message text is empty");
  }
  if (Buffer.byteLength(rawText) > MAX_RAW_TEXT_BYTES) {
    throw badRequest("text is too long");
  }
  const parsed = parseText(params, rawText);
  const reply = replyTarget(params);
  const inlineKeyboard = parseReplyMarkup(params);

  const chat = resolveChat(state, params.get("chat_id"));
  assertCanWrite(state, bot, chat);

  const replyTo = reply === undefined ? undefined : state.findMessage(bot.id, chat.id, reply.messageId);
  if (reply !== undefined && replyTo === undefined && !reply.allowWithoutReply) {
    throw badRequest("message to be replied not found");
  }

  const text = finalizeText(parsed);
  if (text === undefined) {
    throw badRequest("text must be non-empty");
  }
  if (utf16Length(text.text) > MAX_MESSAGE_LENGTH) {
    throw badRequest("message is too long");
  }

  const flood = state.flood.trySend(bot.id, chat.id);
  if (!flood.ok) {
    state.stats.rate_limited += 1;
    throw tooManyRequests(flood.retryAfter);
  }

  const sentAt = performance.timeOrigin + performance.now();
  const message = {
    message_id: state.nextMessageId(bot.id, chat.id),
    from: state.botUser(bot),
    chat: state.chatObject(chat),
    date: Math.floor(sentAt / 1000),
    text: text.text,
    ...(text.entities.length === 0 ? {} : { entities: text.entities }),
    ...(linkPreviewOptions === undefined ? {} : { link_preview_options: linkPreviewOptions }),
    ...(replyTo === undefined ? {} : { reply_to_message: { ...replyTo, reply_to_message: undefined } }),
    ...(inlineKeyboard === undefined ? {} : { reply_markup: inlineKeyboard }),
  } as Message.TextMessage;
  state.rememberMessage(bot.id, message);

  const parseMode = params.get("parse_mode");
  state.sentMessages.push({
    bot_id: bot.id,
    chat_id: chat.id,
    message_id: message.message_id,
    date: message.date,
    sent_at: sentAt,
    text: text.text,
    raw_text: rawText,
    ...(parseMode === "" ? {} : { parse_mode: parseMode }),
    entities: text.entities,
    via,
    params: params.toRecord(),
    message,
  });
  state.stats.messages_sent += 1;
  return { result: message };
}
