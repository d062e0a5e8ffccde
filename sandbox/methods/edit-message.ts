import { isDeepStrictEqual } from "node:util";
import type { InlineKeyboardMarkup, Message, MessageEntity } from "grammy/types";
import { badRequest } from "../bot-api-error";
import { assertCanEdit, resolveChat } from "../chat-access";
import type { ApiParams } from "../api-params";
import type { BotRecord, ChatRecord, MessageEditRecord, SandboxState, SentMessageRecord } from "../state";
import { takeFloodSlot } from "./flood-slot";
import type { MethodContext, MethodResult } from "./method-context";
import { finalMessageText, parseLinkPreviewOptions, readMessageText } from "./message-text";
import { checkInlineKeyboard, parseReplyMarkup } from "./reply-markup";

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const INT32_MAX = 2 ** 31 - 1;

interface EditTarget {
  chat: ChatRecord;
  message: Message;
  record: SentMessageRecord;
}

/**
 * The message an edit names, checked in telegram-bot-api's order: an identifier at all, the
 * chat, then the message (missing, or not the bot's own).
 */
function findEditTarget(state: SandboxState, bot: BotRecord, params: ApiParams): EditTarget {
  const chatIdParam = params.get("chat_id");
  const messageId = params.integer("message_id", 0, 0, INT32_MAX);
  if (chatIdParam === "" && messageId === 0) {
    if (params.get("inline_message_id") === "") {
      throw badRequest("Message identifier is not specified");
    }
    throw badRequest("inline messages are not supported by the sandbox");
  }
  const chat = resolveChat(state, chatIdParam);
  assertCanEdit(state, bot, chat);
  const message = messageId === 0 ? undefined : state.findMessage(bot.id, chat.id, messageId);
  if (message === undefined) {
    throw badRequest("message to edit not found");
  }
  const record = state.findSentMessage(bot.id, chat.id, messageId);
  if (message.from?.id !== bot.id || record === undefined) {
    throw badRequest("message can't be edited");
  }
  return { chat, message, record };
}

interface NewContent {
  text: string;
  entities: MessageEntity[];
  replyMarkup: InlineKeyboardMarkup | undefined;
}

/** Replaces the message everywhere the sandbox keeps it and appends the edit to its history. */
function applyEdit(
  state: SandboxState,
  bot: BotRecord,
  target: EditTarget,
  content: NewContent,
  edit: Omit<MessageEditRecord, "text" | "entities" | "reply_markup" | "edited_at">,
  extra: Partial<Message>,
): Message {
  const editedAt = performance.timeOrigin + performance.now();
  const message: Message & { entities?: MessageEntity[] } = { ...target.message, ...extra };
  delete message.entities;
  delete message.reply_markup;
  if (content.entities.length > 0) {
    message.entities = content.entities;
  }
  if (content.replyMarkup !== undefined) {
    message.reply_markup = content.replyMarkup;
  }
  state.rememberMessage(bot.id, message);

  const { record } = target;
  record.message = message;
  record.text = content.text;
  record.entities = content.entities;
  if (edit.raw_text !== undefined) {
    record.raw_text = edit.raw_text;
    if (edit.parse_mode === undefined) {
      delete record.parse_mode;
    } else {
      record.parse_mode = edit.parse_mode;
    }
  }
  if (content.replyMarkup === undefined) {
    delete record.reply_markup;
  } else {
    record.reply_markup = content.replyMarkup;
  }
  record.edits.push({
    ...edit,
    edited_at: editedAt,
    text: content.text,
    entities: content.entities,
    ...(content.replyMarkup === undefined ? {} : { reply_markup: content.replyMarkup }),
  });
  return message;
}

/**
 * editMessageText. Like Telegram, an edit without reply_markup removes the keyboard, and an
 * edit that changes nothing is refused. Edits count against the same flood limits as sends.
 */
export function editMessageText({ state, bot, params, via }: MethodContext): MethodResult {
  const { rawText, parsed } = readMessageText(params);
  const linkPreviewOptions = parseLinkPreviewOptions(params);
  const replyMarkup = parseReplyMarkup(params);
  const target = findEditTarget(state, bot, params);
  const text = finalMessageText(parsed);
  checkInlineKeyboard(replyMarkup);

  const current = target.message;
  if (
    current.text === text.text &&
    isDeepStrictEqual(current.entities ?? [], text.entities) &&
    isDeepStrictEqual(current.reply_markup, replyMarkup)
  ) {
    throw badRequest(NOT_MODIFIED);
  }
  takeFloodSlot(state, bot.id, target.chat.id);

  const parseMode = params.get("parse_mode");
  const message = applyEdit(
    state,
    bot,
    target,
    { text: text.text, entities: text.entities, replyMarkup },
    {
      method: "editMessageText",
      raw_text: rawText,
      ...(parseMode === "" ? {} : { parse_mode: parseMode }),
      via,
      params: params.toRecord(),
    },
    {
      text: text.text,
      edit_date: Math.floor(Date.now() / 1000),
      ...(linkPreviewOptions === undefined ? {} : { link_preview_options: linkPreviewOptions }),
    },
  );
  return { result: message };
}

/** editMessageReplyMarkup: replaces the keyboard (none given removes it); the text stays. */
export function editMessageReplyMarkup({ state, bot, params, via }: MethodContext): MethodResult {
  const replyMarkup = parseReplyMarkup(params);
  const target = findEditTarget(state, bot, params);
  checkInlineKeyboard(replyMarkup);
  if (isDeepStrictEqual(target.message.reply_markup, replyMarkup)) {
    throw badRequest(NOT_MODIFIED);
  }
  takeFloodSlot(state, bot.id, target.chat.id);
  const message = applyEdit(
    state,
    bot,
    target,
    { text: target.record.text, entities: target.record.entities, replyMarkup },
    { method: "editMessageReplyMarkup", via, params: params.toRecord() },
    {},
  );
  return { result: message };
}
