import type { UserFromGetMe } from "grammy/types";
import type { MethodContext, MethodResult } from "./method-context";

export function getMe({ bot }: MethodContext): MethodResult {
  const me: UserFromGetMe = {
    id: bot.id,
    is_bot: true,
    first_name: bot.firstName,
    username: bot.username,
    can_join_groups: bot.canJoinGroups,
    can_read_all_group_messages: bot.canReadAllGroupMessages,
    supports_inline_queries: bot.supportsInlineQueries,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  return { result: me };
}
