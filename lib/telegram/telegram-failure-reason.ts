import type { DeliveryReasonCode } from "@/lib/schemas/leads";
import { TelegramRefusal } from "./bot-api";
import { BotTokenUnreadable } from "./token-vault";

/**
 * Telegram's final refusals the owner can act on. Telegram tells them apart only by
 * description, so this is the one place that reads its wording; everything after reads
 * the code.
 */
const REFUSALS: [errorCode: number, description: RegExp, code: DeliveryReasonCode][] = [
  [403, /bot was blocked by the user/i, "bot_blocked"],
  [403, /bot was kicked from the/i, "kicked"],
  [403, /user is deactivated/i, "user_deactivated"],
  [400, /chat not found/i, "chat_not_found"],
];

/** Why a Bot API call failed, as a reason code: the one classification of every failure, for deliveries and the test message. */
export function deliveryReasonCode(error: unknown): DeliveryReasonCode {
  if (error instanceof BotTokenUnreadable) return "token_unreadable";
  if (!(error instanceof TelegramRefusal)) return "telegram_unavailable";
  if (error.migrateToChatId !== undefined) return "chat_migrated";
  if (error.errorCode === 401) return "token_revoked";
  if (error.errorCode === 429) return "rate_limited";
  if (error.errorCode >= 500) return "telegram_unavailable";
  return (
    REFUSALS.find(
      ([errorCode, description]) => errorCode === error.errorCode && description.test(error.description),
    )?.[2] ?? "telegram_error"
  );
}

/**
 * What a refused edit of a message means: `not_modified` (it already shows that text and
 * keyboard: as good as done) or `message_gone` (deleted, or one Telegram will not let the
 * bot edit: never worth trying again); null for any other failure.
 */
export function editRefusal(error: unknown): "not_modified" | "message_gone" | null {
  if (!(error instanceof TelegramRefusal) || error.errorCode !== 400) return null;
  if (/message is not modified/i.test(error.description)) return "not_modified";
  if (/message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(error.description))
    return "message_gone";
  return null;
}
