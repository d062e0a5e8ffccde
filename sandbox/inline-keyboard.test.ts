import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

const send = (inline_keyboard: unknown, chat_id: number = fx.chat.id) =>
  fx.call("sendMessage", { chat_id, text: "New lead", reply_markup: { inline_keyboard } });

const badRequest = (description: string) => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

describe("inline keyboards on sendMessage", () => {
  it("echoes the keyboard in the Message and keeps it with the sent message", async () => {
    const keyboard = [
      [
        { text: "🙋 Беру", callback_data: "l:1:take" },
        { text: "🚫 Спам", callback_data: "l:1:spam" },
      ],
      [{ text: "📋 +7 900 000-00-00", copy_text: { text: "+79000000000" } }],
      [{ text: "Open", url: "https://crm.example.com/leads/1" }],
    ];
    const sent = await send(keyboard);
    expect(sent.status).toBe(200);
    expect(sent.body.result).toMatchObject({ reply_markup: { inline_keyboard: keyboard } });
    const [recorded] = await fx.client.messages(fx.bot.id);
    expect(recorded?.reply_markup).toEqual({ inline_keyboard: keyboard });
    expect(recorded?.edits).toEqual([]);
  });

  it("keeps only the kind Telegram recognises first and treats empty url or callback_data as absent", async () => {
    const sent = await send([
      [{ text: "both", url: "https://example.com", callback_data: "ignored" }],
      [{ text: "data", url: "", callback_data: "kept" }],
    ]);
    expect(sent.body.result).toMatchObject({
      reply_markup: {
        inline_keyboard: [[{ text: "both", url: "https://example.com" }], [{ text: "data", callback_data: "kept" }]],
      },
    });
    expect(await send([[{ text: "empty", callback_data: "" }]])).toEqual(
      badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
    );
  });

  it("limits callback_data to 64 bytes", async () => {
    expect((await send([[{ text: "ok", callback_data: "x".repeat(64) }]])).status).toBe(200);
    // 33 Cyrillic letters are 66 bytes.
    expect(await send([[{ text: "long", callback_data: "я".repeat(33) }]])).toEqual(badRequest("BUTTON_DATA_INVALID"));
  });

  it("limits copy_text to 1-256 characters", async () => {
    expect((await send([[{ text: "copy", copy_text: { text: "я".repeat(256) } }]])).status).toBe(200);
    expect(await send([[{ text: "copy", copy_text: { text: "a".repeat(257) } }]])).toEqual(
      badRequest("BUTTON_COPY_TEXT_INVALID"),
    );
    expect(await send([[{ text: "copy", copy_text: { text: "" } }]])).toEqual(badRequest("BUTTON_COPY_TEXT_INVALID"));
    expect(await send([[{ text: "copy", copy_text: {} }]])).toEqual(
      badRequest("can't parse inline keyboard button: Can't find field \"text\""),
    );
    expect(await send([[{ text: "copy", copy_text: "+7900" }]])).toEqual(
      badRequest('can\'t parse inline keyboard button: Field "copy_text" must be of type Object'),
    );
  });

  it("requires button text", async () => {
    expect(await send([[{ callback_data: "x" }]])).toEqual(
      badRequest("can't parse inline keyboard button: Can't find field \"text\""),
    );
    expect(await send([[{ text: { a: 1 }, callback_data: "x" }]])).toEqual(
      badRequest('can\'t parse inline keyboard button: Field "text" must be of type String'),
    );
    expect(await send([[{ text: " ", callback_data: "x" }]])).toEqual(badRequest("BUTTON_TEXT_INVALID"));
    expect(await send([["just text"]])).toEqual(
      badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object"),
    );
  });

  it("checks button contents after the chat, as Telegram's server does", async () => {
    const longData = [[{ text: "long", callback_data: "x".repeat(65) }]];
    expect(await send(longData, 424242)).toEqual(badRequest("chat not found"));
    // Malformed JSON buttons are refused before the chat is looked at.
    expect(await send([[{ text: "none" }]], 424242)).toEqual(
      badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
    );
  });
});
