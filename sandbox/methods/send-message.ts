import type { Message } from "grammy/types";
import { badRequest } from "../bot-api-error";
import { assertCanWrite, resolveChat } from "../chat-access";
import type { ApiParams } from "../api-params";
import { takeFloodSlot } from "./flood-slot";
import type { MethodContext, MethodResult } from "./method-context";
import { finalMessageText, parseLinkPreviewOptions, readMessageText } from "./message-text";
import { checkInlineKeyboard, parseReplyMarkup } from "./reply-markup";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

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
 * chat, then what Telegram's server checks (empty after trimming, length, the buttons' contents),
 * then flood limits.
 */
export function sendMessage({ state, bot, params, via }: MethodContext): MethodResult {
  const linkPreviewOptions = parseLinkPreviewOptions(params);
  const { rawText, parsed } = readMessageText(params);
  const reply = replyTarget(params);
  const inlineKeyboard = parseReplyMarkup(params);

  const chat = resolveChat(state, params.get("chat_id"));
  assertCanWrite(state, bot, chat);

  const replyTo = reply === undefined ? undefined : state.findMessage(bot.id, chat.id, reply.messageId);
  if (reply !== undefined && replyTo === undefined && !reply.allowWithoutReply) {
    throw badRequest("message to be replied not found");
  }

  const text = finalMessageText(parsed);
  checkInlineKeyboard(inlineKeyboard);

  takeFloodSlot(state, bot.id, chat.id);

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
    ...(inlineKeyboard === undefined ? {} : { reply_markup: inlineKeyboard }),
    via,
    params: params.toRecord(),
    message,
    edits: [],
  });
  state.stats.messages_sent += 1;
  return { result: message };
}
