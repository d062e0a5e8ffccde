import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SandboxError } from "./client";
import { startFixture, startReceiver, type Receiver, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

const keyboard = {
  inline_keyboard: [
    [
      { text: "🙋 Беру", callback_data: "l:1:take" },
      { text: "🚫 Спам", callback_data: "l:1:spam" },
    ],
    [{ text: "Open", url: "https://crm.example.com/leads/1" }],
  ],
};

async function sendLead(chatId: number = fx.chat.id): Promise<number> {
  const sent = await fx.call("sendMessage", { chat_id: chatId, text: "New lead", reply_markup: keyboard });
  return (sent.body.result as { message_id: number }).message_id;
}

async function controlError(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe("button presses (callback_query)", () => {
  it("queues a Telegram-shaped callback_query for getUpdates", async () => {
    const messageId = await sendLead();
    const { callbackQueryId, delivery } = await fx.client.pressButton(fx.bot.id, {
      chatId: fx.chat.id,
      messageId,
      data: "l:1:take",
    });
    expect(delivery).toMatchObject({ delivered: false, error: "no webhook is set; the update stays pending" });
    const [update] = (await fx.call("getUpdates")).body.result as Update[];
    expect(update?.callback_query).toEqual({
      id: callbackQueryId,
      from: { id: fx.chat.id, is_bot: false, first_name: "Ann", username: "ann_lead" },
      message: expect.objectContaining({ message_id: messageId, text: "New lead", reply_markup: keyboard }) as unknown,
      chat_instance: expect.stringMatching(/^-?\d+$/) as unknown,
      data: "l:1:take",
    });
    expect(callbackQueryId).toMatch(/^\d+$/);
  });

  it("delivers presses in a group to the webhook, as the chosen user, with the message as it is now", async () => {
    const receiver: Receiver = await startReceiver();
    try {
      await fx.client.setDeliverTo(receiver.origin);
      await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
      const group = await fx.client.createGroup({ title: "Sales" });
      const messageId = await sendLead(group.id);
      await fx.call("editMessageText", {
        chat_id: group.id,
        message_id: messageId,
        text: "New lead — taken",
        reply_markup: { inline_keyboard: [[{ text: "✅ Готово", callback_data: "l:1:done" }]] },
      });
      const ivan = { id: 600_000_001, first_name: "Иван", last_name: "Петров", username: "ivan" };
      const first = await fx.client.pressButton(fx.bot.id, {
        chatId: group.id,
        messageId,
        data: "l:1:done",
        from: ivan,
      });
      expect(first.delivery).toMatchObject({ delivered: true, status: 200 });
      const delivered = receiver.requests[0]?.body as Update;
      expect(delivered.callback_query).toMatchObject({
        from: { ...ivan, is_bot: false },
        message: { chat: { id: group.id }, text: "New lead — taken" },
        data: "l:1:done",
      });
      // The registered user can press again by id; the same chat keeps the same chat_instance.
      const second = await fx.client.pressButton(fx.bot.id, {
        chatId: group.id,
        messageId,
        data: "l:1:done",
        fromUserId: ivan.id,
      });
      expect(second.delivery.update.callback_query?.chat_instance).toBe(delivered.callback_query?.chat_instance);
      expect(second.callbackQueryId).not.toBe(first.callbackQueryId);
    } finally {
      await receiver.close();
    }
  });

  it("refuses presses that could not happen", async () => {
    const messageId = await sendLead();
    const press = (data: string, id = messageId) =>
      fx.client.pressButton(fx.bot.id, { chatId: fx.chat.id, messageId: id, data });
    expect(await controlError(press("l:1:take", 99))).toMatchObject({ status: 404 });
    expect(await controlError(press("l:2:take"))).toMatchObject({
      status: 400,
      message: 'message 1 has no button with callback_data "l:2:take"',
    });
    await fx.client.sendText(fx.bot.id, fx.chat.id, "user text");
    expect(await controlError(press("l:1:take", 2))).toMatchObject({ status: 400 });
    const stranger = fx.client.pressButton(fx.bot.id, {
      chatId: fx.chat.id,
      messageId,
      data: "l:1:take",
      from: { id: 600_000_009, first_name: "Eve" },
    });
    expect(await controlError(stranger)).toMatchObject({ status: 400 });
    expect(await fx.client.callbackQueries(fx.bot.id)).toEqual([]);
  });

  it("records the answer the user saw and refuses a second or unknown one", async () => {
    const messageId = await sendLead();
    const { callbackQueryId } = await fx.client.pressButton(fx.bot.id, {
      chatId: fx.chat.id,
      messageId,
      data: "l:1:take",
    });
    const answered = await fx.call("answerCallbackQuery", {
      callback_query_id: callbackQueryId,
      text: "Взято: Иван Петров",
      show_alert: true,
    });
    expect(answered).toEqual({ status: 200, body: { ok: true, result: true } });
    expect((await fx.client.callbackQuery(callbackQueryId)).answer).toMatchObject({
      text: "Взято: Иван Петров",
      show_alert: true,
      cache_time: 0,
    });
    const tooOld = {
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: "Bad Request: query is too old and response timeout expired or query ID is invalid",
      },
    };
    expect(await fx.call("answerCallbackQuery", { callback_query_id: callbackQueryId })).toEqual(tooOld);
    expect(await fx.call("answerCallbackQuery", { callback_query_id: "12345" })).toEqual(tooOld);
    expect(await fx.call("answerCallbackQuery", { callback_query_id: "oops" })).toEqual(tooOld);
  });

  it("refuses answers after the timeout and texts over 200 characters", async () => {
    await fx.client.updateConfig({ callback_query_timeout_ms: 50 });
    const messageId = await sendLead();
    const press = () => fx.client.pressButton(fx.bot.id, { chatId: fx.chat.id, messageId, data: "l:1:spam" });
    const late = await press();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await fx.call("answerCallbackQuery", { callback_query_id: late.callbackQueryId })).body.description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    await fx.client.updateConfig({ callback_query_timeout_ms: 15_000 });
    const { callbackQueryId } = await press();
    const long = await fx.call("answerCallbackQuery", { callback_query_id: callbackQueryId, text: "я".repeat(201) });
    expect(long.body.description).toBe("Bad Request: MESSAGE_TOO_LONG");
    expect(
      (await fx.call("answerCallbackQuery", { callback_query_id: callbackQueryId, text: "я".repeat(200) })).status,
    ).toBe(200);
  });

  it("lets a polling grammY bot answer a press and edit the message", async () => {
    const bot = new Bot(fx.bot.token, { client: { apiRoot: fx.sandbox.url } });
    bot.callbackQuery("l:1:take", async (ctx) => {
      await ctx.answerCallbackQuery({ text: `Взято: ${ctx.from.first_name}` });
      await ctx.editMessageText("New lead\n🙋 В работе: Ann", {
        reply_markup: { inline_keyboard: [[{ text: "✅ Готово", callback_data: "l:1:done" }]] },
      });
    });
    const running = bot.start({ timeout: 30 });
    try {
      const messageId = await sendLead();
      const { answer } = await fx.client.pressButtonAndWaitForAnswer(fx.bot.id, {
        chatId: fx.chat.id,
        messageId,
        data: "l:1:take",
      });
      expect(answer.text).toBe("Взято: Ann");
      const edited = await fx.client.waitForEdits(fx.bot.id, fx.chat.id, messageId);
      expect(edited).toMatchObject({
        text: "New lead\n🙋 В работе: Ann",
        reply_markup: { inline_keyboard: [[{ text: "✅ Готово", callback_data: "l:1:done" }]] },
      });
    } finally {
      await bot.stop();
      await running;
    }
  });
});
