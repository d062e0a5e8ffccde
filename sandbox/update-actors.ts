import type { ChatRecord, SandboxState, UserRecord } from "./state";

/** Who acts in an update injected through the control API, and how a bad request is reported. */

/** A control request that can't become an update; the control API answers it with `status`. */
export class UpdateRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

export function chatFor(state: SandboxState, chatId: number): ChatRecord {
  const chat = state.chats.get(chatId);
  if (chat === undefined) {
    throw new UpdateRequestError(`unknown chat ${chatId}; create it first with POST /_sandbox/chats`);
  }
  return chat;
}

/** Who performs an action: the private chat's user, or a group member. */
export function senderFor(state: SandboxState, chat: ChatRecord, fromUserId: number | undefined): UserRecord {
  if (chat.type === "private" && chat.user !== undefined) {
    return chat.user;
  }
  if (fromUserId !== undefined) {
    const user = state.users.get(fromUserId);
    if (user === undefined) {
      throw new UpdateRequestError(`unknown user ${fromUserId}; create a private chat for them first`);
    }
    return user;
  }
  const existing = [...state.users.values()].find((u) => u.username === "sandbox_member");
  if (existing !== undefined) {
    return existing;
  }
  const member: UserRecord = {
    id: state.allocateChatId("private"),
    first_name: "Group Member",
    username: "sandbox_member",
  };
  state.users.set(member.id, member);
  return member;
}
