import type { BotRecord, BotStanding, ChatRecord, ChatType, SandboxState } from "./state";

/** JSON shapes the control API answers with, shared with the typed client. */

export interface BotView {
  id: number;
  token: string;
  username: string;
  first_name: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  /** `allowed_updates` repeats the bot's setting (below), for reading beside the webhook. */
  webhook: { url: string; secret_token: string; max_connections: number; allowed_updates: string[] | null } | null;
  /** Set by setWebhook or getUpdates; null = Telegram's default. */
  allowed_updates: string[] | null;
  /** A getUpdates request is being held open (long polling). */
  long_polling: boolean;
  pending_update_count: number;
  last_error_message: string | null;
}

export interface ChatView {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  language_code?: string;
  /** How bots not listed in `standings` stand in the chat. */
  default_standing: BotStanding;
  standings: Record<string, BotStanding>;
  deactivated: boolean;
  migrate_to_chat_id?: number;
}

export function botView(state: SandboxState, bot: BotRecord): BotView {
  return {
    id: bot.id,
    token: bot.token,
    username: bot.username,
    first_name: bot.firstName,
    can_join_groups: bot.canJoinGroups,
    can_read_all_group_messages: bot.canReadAllGroupMessages,
    supports_inline_queries: bot.supportsInlineQueries,
    webhook:
      bot.webhook === undefined
        ? null
        : {
            url: bot.webhook.url,
            secret_token: bot.webhook.secretToken,
            max_connections: bot.webhook.maxConnections,
            allowed_updates: bot.allowedUpdates ?? null,
          },
    allowed_updates: bot.allowedUpdates ?? null,
    long_polling: state.longPolls.isHolding(bot.id),
    pending_update_count: bot.pendingUpdates.length,
    last_error_message: bot.lastWebhookError?.message ?? null,
  };
}

export function chatView(state: SandboxState, chat: ChatRecord): ChatView {
  const chatObject = state.chatObject(chat);
  return {
    id: chat.id,
    type: chat.type,
    ...(chatObject.title === undefined ? {} : { title: chatObject.title }),
    ...(chatObject.username === undefined ? {} : { username: chatObject.username }),
    ...(chatObject.first_name === undefined ? {} : { first_name: chatObject.first_name }),
    ...(chatObject.last_name === undefined ? {} : { last_name: chatObject.last_name }),
    ...(chat.user?.language_code === undefined ? {} : { language_code: chat.user.language_code }),
    default_standing: chat.defaultStanding,
    standings: Object.fromEntries([...chat.standings].map(([botId, standing]) => [String(botId), standing])),
    deactivated: chat.deactivated,
    ...(chat.migratedToChatId === undefined ? {} : { migrate_to_chat_id: chat.migratedToChatId }),
  };
}
