import { describe, expect, it } from "vitest";
import { TelegramRefusal, TelegramUnavailable } from "./bot-api";
import { deliveryReasonCode } from "./telegram-failure-reason";
import { BotTokenUnreadable } from "./token-vault";

const refusal = (errorCode: number, description: string, extra: { retryAfter?: number; migrateTo?: number } = {}) =>
  new TelegramRefusal(errorCode, description, extra.retryAfter, extra.migrateTo);

describe("deliveryReasonCode", () => {
  it.each([
    [refusal(403, "Forbidden: bot was blocked by the user"), "bot_blocked"],
    [refusal(403, "Forbidden: bot was kicked from the group chat"), "kicked"],
    [refusal(403, "Forbidden: bot was kicked from the supergroup chat"), "kicked"],
    [refusal(403, "Forbidden: user is deactivated"), "user_deactivated"],
    [refusal(400, "Bad Request: chat not found"), "chat_not_found"],
    [refusal(401, "Unauthorized"), "token_revoked"],
    [refusal(429, "Too Many Requests: retry after 5", { retryAfter: 5 }), "rate_limited"],
    [refusal(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrateTo: -1001 }), "chat_migrated"],
    [refusal(500, "Internal Server Error"), "telegram_unavailable"],
    [refusal(502, "Bad Gateway"), "telegram_unavailable"],
    [new TelegramUnavailable("sendMessage"), "telegram_unavailable"],
    [new Error("socket hang up"), "telegram_unavailable"],
    [new BotTokenUnreadable(), "token_unreadable"],
    [refusal(400, "Bad Request: message is too long"), "telegram_error"],
    [refusal(403, "Forbidden: bot can't initiate conversation with a user"), "telegram_error"],
  ])("%s → %s", (error, code) => {
    expect(deliveryReasonCode(error)).toBe(code);
  });

  it("reads the description only together with Telegram's error code", () => {
    // A 400 that happens to mention "blocked" is not the 403 refusal.
    expect(deliveryReasonCode(refusal(400, "Bad Request: bot was blocked by the user"))).toBe("telegram_error");
  });
});
