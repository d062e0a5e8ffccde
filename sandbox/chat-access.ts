import { BotApiError, badRequest, forbidden } from "./bot-api-error";
import type { BotRecord, ChatRecord, SandboxState } from "./state";

/**
 * Finds the chat a chat_id parameter names, as telegram-bot-api's check_chat does: "@name"
 * resolves public supergroups only (never users), numbers are read like td::to_integer.
 */
export function resolveChat(state: SandboxState, chatIdParam: string): ChatRecord {
  if (chatIdParam === "") {
    throw badRequest("chat_id is empty");
  }
  if (chatIdParam.startsWith("@")) {
    const username = chatIdParam.slice(1).toLowerCase();
    for (const chat of state.chats.values()) {
      if (chat.type === "supergroup" && chat.username?.toLowerCase() === username) {
        return chat;
      }
    }
    throw badRequest("chat not found");
  }
  const match = /^\s*(-?\d+)/.exec(chatIdParam);
  const chat = match?.[1] === undefined ? undefined : state.chats.get(Number(match[1]));
  if (chat === undefined) {
    throw badRequest("chat not found");
  }
  return chat;
}

/** The errors Telegram gives when a bot may not write to a chat, with its exact wording. */
export function assertCanWrite(state: SandboxState, bot: BotRecord, chat: ChatRecord): void {
  const standing = state.standingOf(chat, bot.id);
  switch (chat.type) {
    case "private":
      if (chat.deactivated) {
        throw forbidden("user is deactivated");
      }
      if (standing === "blocked") {
        throw forbidden("bot was blocked by the user");
      }
      if (standing === "not_started" || standing === "left") {
        throw forbidden("bot can't initiate conversation with a user");
      }
      return;
    case "group":
      if (chat.migratedToChatId !== undefined) {
        throw new BotApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
          migrate_to_chat_id: chat.migratedToChatId,
        });
      }
      assertBotIsMember(standing, "group chat");
      return;
    case "supergroup":
      assertBotIsMember(standing, "supergroup chat");
      return;
  }
}

/** A group's refusal, in Telegram's words, when the bot was kicked from it or is not in it. */
function assertBotIsMember(
  standing: ReturnType<SandboxState["standingOf"]>,
  kind: "group chat" | "supergroup chat",
): void {
  if (standing === "blocked") {
    throw forbidden(`bot was kicked from the ${kind}`);
  }
  if (standing === "left" || standing === "not_started") {
    throw forbidden(`bot is not a member of the ${kind}`);
  }
}

/**
 * telegram-bot-api's checks before an edit (AccessRights::Edit): a deleted user, or a group the
 * bot was kicked from or left. A user who blocked the bot doesn't stop edits of old messages.
 */
export function assertCanEdit(state: SandboxState, bot: BotRecord, chat: ChatRecord): void {
  const standing = state.standingOf(chat, bot.id);
  switch (chat.type) {
    case "private":
      if (chat.deactivated) {
        throw forbidden("user is deactivated");
      }
      return;
    case "group":
      if (chat.migratedToChatId !== undefined) {
        return; // an upgraded group is inactive; telegram-bot-api leaves the rest to the server
      }
      assertBotIsMember(standing, "group chat");
      return;
    case "supergroup":
      assertBotIsMember(standing, "supergroup chat");
      return;
  }
}
