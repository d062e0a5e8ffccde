import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

const takeButtons = { inline_keyboard: [[{ text: "🙋 Беру", callback_data: "l:1:take" }]] };
const doneButtons = { inline_keyboard: [[{ text: "✅ Готово", callback_data: "l:1:done" }]] };
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

async function sendLead(): Promise<number> {
  const sent = await fx.call("sendMessage", { chat_id: fx.chat.id, text: "<b>New lead</b>", parse_mode: "HTML" });
  return (sent.body.result as { message_id: number }).message_id;
}

describe("editMessageText and editMessageReplyMarkup", () => {
  it("edits text and buttons, answers the edited Message and keeps the history", async () => {
    const messageId = await sendLead();
    const edited = await fx.call("editMessageText", {
      chat_id: fx.chat.id,
      message_id: messageId,
      text: "<b>New lead</b>\n🙋 В работе: Иван",
      parse_mode: "HTML",
      reply_markup: doneButtons,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.result).toMatchObject({
      message_id: messageId,
      text: "New lead\n🙋 В работе: Иван",
      entities: [{ type: "bold", offset: 0, length: 8 }],
      reply_markup: doneButtons,
    });
    expect((edited.body.result as { edit_date?: number }).edit_date).toBeGreaterThan(0);

    const markup = await fx.call("editMessageReplyMarkup", {
      chat_id: fx.chat.id,
      message_id: messageId,
      reply_markup: takeButtons,
    });
    expect(markup.body.result).toMatchObject({ text: "New lead\n🙋 В работе: Иван", reply_markup: takeButtons });

    const record = await fx.client.message(fx.bot.id, fx.chat.id, messageId);
    expect(record).toMatchObject({
      text: "New lead\n🙋 В работе: Иван",
      raw_text: "<b>New lead</b>\n🙋 В работе: Иван",
      reply_markup: takeButtons,
      params: { text: "<b>New lead</b>" },
    });
    expect(record.edits.map((edit) => [edit.method, edit.reply_markup])).toEqual([
      ["editMessageText", doneButtons],
      ["editMessageReplyMarkup", takeButtons],
    ]);
    expect(record.message.reply_markup).toEqual(takeButtons);
  });

  it("removes the keyboard when an edit omits reply_markup", async () => {
    const sent = await fx.call("sendMessage", { chat_id: fx.chat.id, text: "Lead", reply_markup: takeButtons });
    const messageId = (sent.body.result as { message_id: number }).message_id;
    const edited = await fx.call("editMessageText", {
      chat_id: fx.chat.id,
      message_id: messageId,
      text: "Lead (spam)",
    });
    expect(edited.body.result).not.toHaveProperty("reply_markup");
    const record = await fx.client.message(fx.bot.id, fx.chat.id, messageId);
    expect(record).not.toHaveProperty("reply_markup");
    expect(
      (await fx.call("editMessageReplyMarkup", { chat_id: fx.chat.id, message_id: messageId })).body.description,
    ).toBe(NOT_MODIFIED);
  });

  it("refuses an edit that changes nothing", async () => {
    const messageId = await sendLead();
    const same = await fx.call("editMessageText", {
      chat_id: fx.chat.id,
      message_id: messageId,
      text: "<b>New lead</b>",
      parse_mode: "HTML",
    });
    expect(same).toEqual({ status: 400, body: { ok: false, error_code: 400, description: NOT_MODIFIED } });
    // The same words without the bold are a change.
    const plain = await fx.call("editMessageText", { chat_id: fx.chat.id, message_id: messageId, text: "New lead" });
    expect(plain.status).toBe(200);
    await fx.call("editMessageReplyMarkup", { chat_id: fx.chat.id, message_id: messageId, reply_markup: takeButtons });
    const sameMarkup = await fx.call("editMessageReplyMarkup", {
      chat_id: fx.chat.id,
      message_id: messageId,
      reply_markup: takeButtons,
    });
    expect(sameMarkup.body.description).toBe(NOT_MODIFIED);
    expect((await fx.client.message(fx.bot.id, fx.chat.id, messageId)).edits).toHaveLength(2);
  });

  it("answers Telegram's errors for missing, foreign and unidentified messages", async () => {
    const unknown = await fx.call("editMessageText", { chat_id: fx.chat.id, message_id: 999, text: "x" });
    expect(unknown).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: message to edit not found" },
    });
    await fx.client.sendText(fx.bot.id, fx.chat.id, "a message from the user");
    const userMessageId = (await fx.client.deliveries(fx.bot.id))[0]!.update.message!.message_id;
    const foreign = await fx.call("editMessageReplyMarkup", {
      chat_id: fx.chat.id,
      message_id: userMessageId,
      reply_markup: takeButtons,
    });
    expect(foreign.body.description).toBe("Bad Request: message can't be edited");
    expect((await fx.call("editMessageText", { text: "x" })).body.description).toBe(
      "Bad Request: message identifier is not specified",
    );
    expect((await fx.call("editMessageText", { chat_id: 424242, message_id: 1, text: "x" })).body.description).toBe(
      "Bad Request: chat not found",
    );
    expect((await fx.call("editMessageText", { chat_id: fx.chat.id, message_id: 1 })).body.description).toBe(
      "Bad Request: message text is empty",
    );
  });

  it("validates the new keyboard like sendMessage", async () => {
    const messageId = await sendLead();
    const long = await fx.call("editMessageReplyMarkup", {
      chat_id: fx.chat.id,
      message_id: messageId,
      reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "x".repeat(65) }]] },
    });
    expect(long.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("edits in a group the bot was kicked from are forbidden", async () => {
    const group = await fx.client.createGroup({ title: "Sales" });
    const sent = await fx.call("sendMessage", { chat_id: group.id, text: "Lead" });
    await fx.client.blockBot(group.id, fx.bot.id);
    const edit = await fx.call("editMessageText", {
      chat_id: group.id,
      message_id: (sent.body.result as { message_id: number }).message_id,
      text: "Lead (done)",
    });
    expect(edit.body).toMatchObject({ error_code: 403, description: "Forbidden: bot was kicked from the group chat" });
  });

  it("counts edits against the chat's flood limit", async () => {
    await fx.client.setRateLimits({ enabled: true, privateChat: { count: 1, perMs: 1000, burst: 2 } });
    const messageId = await sendLead();
    expect((await fx.call("editMessageText", { chat_id: fx.chat.id, message_id: messageId, text: "one" })).status).toBe(
      200,
    );
    const limited = await fx.call("editMessageText", { chat_id: fx.chat.id, message_id: messageId, text: "two" });
    expect(limited.body).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    expect((await fx.client.stats()).rate_limited).toBe(1);
  });
});
