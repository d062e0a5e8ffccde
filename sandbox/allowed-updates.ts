import type { ApiParams } from "./api-params";

/**
 * Update types Telegram knows, in telegram-bot-api's order, which is also the order
 * getWebhookInfo lists them in; unknown names in allowed_updates are ignored like the real API.
 */
const UPDATE_TYPES = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
  "message_reaction",
  "message_reaction_count",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "purchased_paid_media",
  "managed_bot",
  "guest_message",
];

/** Without allowed_updates Telegram sends everything but these opt-in types. */
const OPT_IN_UPDATE_TYPES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export function isUpdateTypeAllowed(allowedUpdates: string[] | undefined, type: string): boolean {
  return allowedUpdates === undefined ? !OPT_IN_UPDATE_TYPES.has(type) : allowedUpdates.includes(type);
}

/**
 * allowed_updates as telegram-bot-api reads it (setWebhook and getUpdates share one setting per
 * bot): absent, unparsable or holding a non-string keeps the previous setting; a list with no
 * known type (including []) restores the default, returned as undefined.
 */
export function readAllowedUpdates(params: ApiParams, previous: string[] | undefined): string[] | undefined {
  const raw = params.get("allowed_updates");
  if (raw === "") {
    return previous;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return previous;
  }
  if (!Array.isArray(parsed) || !parsed.every((type) => typeof type === "string")) {
    return previous;
  }
  const known = UPDATE_TYPES.filter((type) => parsed.some((name: string) => name.toLowerCase() === type));
  return known.length === 0 ? undefined : known;
}
