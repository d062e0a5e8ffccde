import { describe, expect, it } from "vitest";
import { sandbox } from "../support/api-client";
import {
  BASE,
  NOT_FOUND,
  UNAVAILABLE_MESSAGE,
  call,
  fresh,
  connect,
  unknownChatId,
  expectValidationError,
} from "../support/telegram-integration";

/**
 * The spec's /api/v1/telegram/integration* endpoints as an outside client sees them, against
 * the production server pointed at the Telegram sandbox. Every test brings its own site, bot
 * and chat; Telegram failures are injected per bot so parallel files are not disturbed.
 */

describe("POST /api/v1/telegram/integration/test", () => {
  it("sends one message to the given chat_id", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chat.id } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      message: "Test message sent!",
      reason_code: null,
      chat_id: chat.id,
    });
    const messages = await sandbox().messages(bot.id, { chatId: chat.id });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text.length).toBeGreaterThan(0);
    expect(await sandbox().messages(bot.id)).toHaveLength(1);
  });

  it("uses owner_chat_id without chat_id (empty object, null or no body at all)", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    const withObject = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(withObject.status).toBe(200);
    expect(withObject.body).toEqual({
      success: true,
      message: "Test message sent!",
      reason_code: null,
      chat_id: chat.id,
    });
    const withNull = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: null } });
    expect(withNull.body).toEqual({
      success: true,
      message: "Test message sent!",
      reason_code: null,
      chat_id: chat.id,
    });
    const withoutBody = await call("POST", `${BASE}/test`, { token: owner.token });
    expect(withoutBody.status).toBe(200);
    expect(withoutBody.body).toEqual({
      success: true,
      message: "Test message sent!",
      reason_code: null,
      chat_id: chat.id,
    });
    expect(await sandbox().messages(bot.id, { chatId: chat.id })).toHaveLength(3);
  });

  it("prefers chat_id over owner_chat_id", async () => {
    const { owner, bot, chat } = await fresh();
    const other = await sandbox().createPrivateChat({ first_name: "Colleague" });
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: other.id } });
    expect(response.body).toEqual({
      success: true,
      message: "Test message sent!",
      reason_code: null,
      chat_id: other.id,
    });
    expect(await sandbox().messages(bot.id, { chatId: other.id })).toHaveLength(1);
    expect(await sandbox().messages(bot.id, { chatId: chat.id })).toHaveLength(0);
  });

  it("answers the spec's failure without chat_id and owner_chat_id", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: false,
      message: "No chat_id provided and owner_chat_id not configured",
      reason_code: "no_chat",
      chat_id: null,
    });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("reports Telegram's refusal when the user blocked the bot", async () => {
    const { owner, bot, chat, client } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    await client.blockBot(chat.id, bot.id);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: false,
      message: "Forbidden: bot was blocked by the user",
      reason_code: "bot_blocked",
      chat_id: chat.id,
    });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("reports Telegram's refusal for an unknown chat", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const chatId = unknownChatId();
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chatId } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: false,
      message: "Bad Request: chat not found",
      reason_code: "chat_not_found",
      chat_id: chatId,
    });
  });

  it("answers success false when Telegram is unreachable or behind a failing proxy", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    for (const kind of ["connection_reset", "bad_gateway"] as const) {
      await sandbox().injectFault({ kind, method: "sendMessage", bot_id: bot.id });
      const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
      expect(response.status, kind).toBe(200);
      expect(response.body, kind).toEqual({
        success: false,
        message: UNAVAILABLE_MESSAGE,
        reason_code: "telegram_unavailable",
        chat_id: chat.id,
      });
    }
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  // Telegram's own 500 says nothing about the chat: it is "unavailable", as POST's 502 treats it.
  it("answers success false with the unavailable message when Telegram answers 500", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    await sandbox().injectFault({ kind: "internal_error", method: "sendMessage", bot_id: bot.id });
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: false,
      message: UNAVAILABLE_MESSAGE,
      reason_code: "telegram_unavailable",
      chat_id: chat.id,
    });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("answers 422 for a chat_id that is not an integer", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    for (const chatId of ["123456789", 1.5, true, [1]]) {
      expectValidationError(await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chatId } }), [
        "body",
        "chat_id",
      ]);
    }
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("answers 404 when the site has no integration", async () => {
    const { owner, chat } = await fresh();
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chat.id } });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});
