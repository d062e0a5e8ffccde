import { createHash } from "node:crypto";
import type { CallbackQuery, InlineKeyboardButton, Update } from "grammy/types";
import { z } from "zod";
import type { BotRecord, ChatRecord, SandboxState, UserRecord } from "./state";
import { UpdateRequestError, chatFor, senderFor } from "./update-actors";

/** A user pressing an inline button under one of the bot's messages, injected through the control API. */

const USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;

export const callbackQueryRequestSchema = z.object({
  type: z.literal("callback_query"),
  chat_id: z.number().int(),
  message_id: z.number().int().positive(),
  /** The pressed button's callback_data. */
  data: z.string().min(1),
  /** A known user (private chats: only the chat's user). */
  from_user_id: z.number().int().positive().optional(),
  /** Or the user described here, registered (or updated) on the way. */
  from: z
    .object({
      id: z
        .number()
        .int()
        .positive()
        .max(2 ** 52),
      first_name: z.string().min(1).max(64),
      last_name: z.string().min(1).max(64).optional(),
      username: z.string().regex(USERNAME).optional(),
      language_code: z.string().min(2).max(10).optional(),
    })
    .optional(),
});
export type CallbackQueryRequest = z.infer<typeof callbackQueryRequestSchema>;

/** Who pressed: the given user (registered on the fly), a known one, or the chat's usual sender. */
function presserFor(state: SandboxState, chat: ChatRecord, request: CallbackQueryRequest): UserRecord {
  const userId = request.from?.id ?? request.from_user_id;
  if (chat.type === "private" && userId !== undefined && userId !== chat.id) {
    throw new UpdateRequestError(`only the user of private chat ${chat.id} sees its messages and can press buttons`);
  }
  if (request.from === undefined) {
    return senderFor(state, chat, request.from_user_id);
  }
  const known = state.users.get(request.from.id);
  if (known !== undefined) {
    return Object.assign(known, request.from);
  }
  const user: UserRecord = { ...request.from };
  state.users.set(user.id, user);
  return user;
}

/** Telegram's chat_instance: a stable 64-bit identifier of the chat as this bot sees it. */
function chatInstanceOf(bot: BotRecord, chat: ChatRecord): string {
  return createHash("sha256").update(`${bot.id}:${chat.id}`).digest().readBigInt64BE(0).toString();
}

function hasCallbackButton(buttons: InlineKeyboardButton[][] | undefined, data: string): boolean {
  return (buttons ?? []).flat().some((button) => "callback_data" in button && button.callback_data === data);
}

/**
 * Builds the callback_query update for a press on the message as it is now (with its current
 * buttons) and records the query so answerCallbackQuery can be checked and read back.
 */
export function buildCallbackQueryUpdate(state: SandboxState, bot: BotRecord, request: CallbackQueryRequest): Update {
  const chat = chatFor(state, request.chat_id);
  const message = state.findMessage(bot.id, chat.id, request.message_id);
  if (message === undefined) {
    throw new UpdateRequestError(`no message ${request.message_id} in chat ${chat.id}`, 404);
  }
  if (message.from?.id !== bot.id) {
    throw new UpdateRequestError(`message ${request.message_id} was not sent by the bot, so it has no buttons`);
  }
  if (!hasCallbackButton(message.reply_markup?.inline_keyboard, request.data)) {
    throw new UpdateRequestError(
      `message ${request.message_id} has no button with callback_data ${JSON.stringify(request.data)}`,
    );
  }
  const from = presserFor(state, chat, request);
  const callbackQuery: CallbackQuery = {
    id: state.allocateCallbackQueryId(),
    from: state.userObject(from),
    message,
    chat_instance: chatInstanceOf(bot, chat),
    data: request.data,
  };
  const update: Update = { update_id: bot.nextUpdateId++, callback_query: callbackQuery };
  state.callbackQueries.set(callbackQuery.id, {
    id: callbackQuery.id,
    bot_id: bot.id,
    chat_id: chat.id,
    message_id: message.message_id,
    data: request.data,
    from: callbackQuery.from,
    chat_instance: callbackQuery.chat_instance,
    update_id: update.update_id,
    pressed_at: Date.now(),
    answer: null,
  });
  return update;
}
