import type { ChatMember, ChatMemberUpdated, Message, MessageEntity, Update } from "grammy/types";
import { z } from "zod";
import { buildCallbackQueryUpdate, callbackQueryRequestSchema } from "./callback-queries";
import type { BotRecord, BotStanding, ChatRecord, SandboxState, UserRecord } from "./state";
import { chatFor, senderFor } from "./update-actors";

/**
 * Realistic updates as Telegram would send them to the bot's webhook, plus the state
 * changes they imply (a user who blocks the bot can no longer be messaged, and so on).
 */

export const updateRequestSchema = z.union([
  z.object({ update: z.record(z.string(), z.unknown()) }),
  z.object({
    type: z.literal("start"),
    chat_id: z.number().int(),
    payload: z.string().optional(),
  }),
  z.object({
    type: z.literal("message").optional(),
    chat_id: z.number().int(),
    text: z.string().min(1),
    /** Sender in a group; defaults to a generated member. Private chats always use their user. */
    from_user_id: z.number().int().optional(),
  }),
  z.object({
    type: z.literal("my_chat_member"),
    chat_id: z.number().int(),
    /** The bot's new status: "kicked" in a private chat means the user blocked the bot. */
    status: z.enum(["member", "administrator", "kicked", "left"]),
    from_user_id: z.number().int().optional(),
  }),
  callbackQueryRequestSchema,
]);
export type UpdateRequest = z.infer<typeof updateRequestSchema>;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Bot commands in a user's text ("/start", "/help@acme_bot"), which Telegram marks as
 * bot_command entities and bot frameworks route by. Other detected entities (mentions,
 * hashtags, URLs) are not modelled.
 */
function botCommandEntities(text: string): MessageEntity[] {
  const commands = /(?<=^|\s)\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@\/])/g;
  return [...text.matchAll(commands)].map((match) => ({
    type: "bot_command",
    offset: match.index,
    length: match[0].length,
  }));
}

function textMessage(
  state: SandboxState,
  bot: BotRecord,
  chat: ChatRecord,
  from: UserRecord,
  text: string,
): Message.TextMessage & Update.NonChannel {
  const entities = botCommandEntities(text);
  const message = {
    message_id: state.nextMessageId(bot.id, chat.id),
    from: state.userObject(from),
    chat: state.chatObject(chat),
    date: nowSeconds(),
    text,
    ...(entities.length === 0 ? {} : { entities }),
  } as Message.TextMessage & Update.NonChannel;
  state.rememberMessage(bot.id, message);
  return message;
}

function memberStatusOf(standing: BotStanding): "member" | "kicked" | "left" {
  return standing === "blocked" ? "kicked" : standing === "member" ? "member" : "left";
}

function chatMember(
  bot: BotRecord,
  state: SandboxState,
  status: "member" | "administrator" | "kicked" | "left",
): ChatMember {
  const user = state.botUser(bot);
  switch (status) {
    case "kicked":
      return { status, user, until_date: 0 };
    case "administrator":
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: false,
        can_manage_video_chats: false,
        can_restrict_members: false,
        can_promote_members: false,
        can_change_info: false,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
      } as ChatMember;
    default:
      return { status, user };
  }
}

function standingAfter(status: "member" | "administrator" | "kicked" | "left"): BotStanding {
  return status === "kicked" ? "blocked" : status === "left" ? "left" : "member";
}

/** Builds the update (without delivering it) and applies its side effects to the sandbox. */
export function buildUpdate(state: SandboxState, bot: BotRecord, request: UpdateRequest): Update {
  if ("type" in request && request.type === "callback_query") {
    return buildCallbackQueryUpdate(state, bot, request);
  }
  const updateId = bot.nextUpdateId++;
  if ("update" in request) {
    return { ...request.update, update_id: updateId } as Update;
  }
  const chat = chatFor(state, request.chat_id);
  if (request.type === "start") {
    const from = senderFor(state, chat, undefined);
    // Pressing Start (or Restart after blocking) lets the bot write to the user again.
    chat.standings.set(bot.id, "member");
    const text = request.payload === undefined || request.payload === "" ? "/start" : `/start ${request.payload}`;
    return { update_id: updateId, message: textMessage(state, bot, chat, from, text) };
  }
  if (request.type === "my_chat_member") {
    const from = senderFor(state, chat, request.from_user_id);
    const oldStatus = memberStatusOf(state.standingOf(chat, bot.id));
    chat.standings.set(bot.id, standingAfter(request.status));
    const myChatMember: ChatMemberUpdated = {
      chat: state.chatObject(chat),
      from: state.userObject(from),
      date: nowSeconds(),
      old_chat_member: chatMember(bot, state, oldStatus),
      new_chat_member: chatMember(bot, state, request.status),
    };
    return { update_id: updateId, my_chat_member: myChatMember };
  }
  const from = senderFor(state, chat, request.from_user_id);
  return { update_id: updateId, message: textMessage(state, bot, chat, from, request.text) };
}

/** The update's type is its one field besides update_id, e.g. "message". */
export function updateTypeOf(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "unknown";
}
