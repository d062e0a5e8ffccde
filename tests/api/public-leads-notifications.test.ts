import { describe, expect, it } from "vitest";
import { TRUNCATION_MARKER } from "@/lib/leads/format-notification";
import { api, registerOwner } from "../support/api-client";
import {
  query,
  leadRow,
  deliveryOf,
  sleep,
  settledDelivery,
  submitJson,
  ownerWithBot,
  numberedText,
  wordsOf,
  SPEC_LEAD,
  SPEC_NOTIFICATION,
} from "../support/public-leads";

// What a stored lead sends to Telegram (through the sandbox), and when it sends nothing.

describe("lead notifications through the Telegram sandbox", () => {
  it("sends the spec's example lead in the spec's format, as HTML, and marks the delivery sent", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const response = await submitJson(owner.siteKey, SPEC_LEAD);
    expect(response.status).toBe(201);

    const [message, ...more] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(more).toEqual([]);
    expect(message?.text).toBe(SPEC_NOTIFICATION);
    expect(message?.parse_mode).toBe("HTML");
    expect(message?.raw_text).toContain("👤 Имя: Иван Петров");

    const delivery = await settledDelivery(response.body.id);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, lastError: null, partsSent: 1 });
    expect(delivery?.sentAt).toBeTruthy();
  });

  it("shows markup, entities, Markdown characters and emoji exactly as typed", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const lead = {
      name: "<b>Eve</b> & Co",
      company: "Tom &amp; Jerry <Ltd>",
      message:
        "<script>alert(1)</script>\n&amp; &lt; &#65; &foo;\n*bold* _it_ [link](http://x) `code` ~strike~\n🚀👍🏽 👨‍👩‍👧",
      device: "desktop",
      "<i>field</i>": "a < b > c",
    };
    const response = await submitJson(owner.siteKey, lead);
    expect(response.status).toBe(201);

    const [message] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(message?.text).toBe(
      [
        "📝 Новая заявка с сайта",
        "━━━━━━━━━━━━━━━━━━━━━━",
        "👤 Имя: <b>Eve</b> & Co",
        "🏢 Компания: Tom &amp; Jerry <Ltd>",
        "",
        "💬 Сообщение:",
        "<script>alert(1)</script>",
        "&amp; &lt; &#65; &foo;",
        "*bold* _it_ [link](http://x) `code` ~strike~",
        "🚀👍🏽 👨‍👩‍👧",
        "",
        "📎 Дополнительно:",
        "• <i>field</i>: a < b > c",
        "",
        "━━━━━━━━━━━━━━━━━━━━━━",
        "🔗 устройство: desktop",
      ].join("\n"),
    );
    expect(message?.entities).toEqual([]);
    expect((await settledDelivery(response.body.id))?.status).toBe("sent");
  });

  it("splits a 9,000-character lead into consecutive messages of at most 4,096 characters, in order", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const text = numberedText(9_000);
    const response = await submitJson(owner.siteKey, { name: "Long", message: text });
    expect(response.status).toBe(201);

    const delivery = await settledDelivery(response.body.id, 10_000);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1 });
    const messages = await client.messages(bot.id, { chatId: chat.id });
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.length).toBeLessThanOrEqual(3);
    expect(delivery?.partsSent).toBe(messages.length);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(messages[0]?.text.startsWith("📝 Новая заявка с сайта\n")).toBe(true);
    messages
      .slice(1)
      .forEach((message, index) =>
        expect(message.text.startsWith(`📝 Заявка (продолжение ${index + 2}/${messages.length})\n`)).toBe(true),
      );
    for (const [index, message] of messages.entries())
      if (index > 0) expect(message.message_id).toBeGreaterThan(messages[index - 1]?.message_id ?? 0);
    expect(messages.some((message) => message.text.includes(TRUNCATION_MARKER))).toBe(false);
    // Every word arrives once, in order.
    expect(wordsOf(messages.map((message) => message.text).join("\n"))).toEqual(wordsOf(text));
    expect((await leadRow(response.body.id))?.message).toBe(text);
  });

  it("cuts a 30,000-character lead to three messages ending with the truncation marker, and stores all of it", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    // A single field may hold 20,000 characters: the other 10,000 go into an extra field.
    const text = numberedText(20_000);
    const details = numberedText(10_000, "x");
    const response = await submitJson(owner.siteKey, { name: "Very long", message: text, details });
    expect(response.status).toBe(201);

    const delivery = await settledDelivery(response.body.id, 10_000);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, partsSent: 3 });
    const messages = await client.messages(bot.id, { chatId: chat.id });
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(messages[0]?.text.startsWith("📝 Новая заявка с сайта\n")).toBe(true);
    expect(messages[1]?.text.startsWith("📝 Заявка (продолжение 2/3)\n")).toBe(true);
    expect(messages[2]?.text.startsWith("📝 Заявка (продолжение 3/3)\n")).toBe(true);
    expect(messages[2]?.text.endsWith(`\n\n${TRUNCATION_MARKER}`)).toBe(true);
    expect(messages.slice(0, 2).some((message) => message.text.includes(TRUNCATION_MARKER))).toBe(false);
    // What arrives is the beginning of the message, in order, with nothing repeated or skipped.
    const arrived = wordsOf(messages.map((message) => message.text).join("\n"));
    expect(arrived.length).toBeGreaterThan(1_000);
    expect(arrived).toEqual(wordsOf(text).slice(0, arrived.length));

    const row = await leadRow(response.body.id);
    expect(row?.message).toBe(text);
    expect(JSON.parse(String(row?.extra))).toEqual({ details });
  });
});

describe("delivery outcomes without a usable chat", () => {
  it("is skipped when the site has no Telegram integration", async () => {
    const owner = await registerOwner();
    const response = await submitJson(owner.siteKey, { name: "Nobody listens" });
    expect(response.status).toBe(201);
    const delivery = await settledDelivery(response.body.id);
    expect(delivery?.status).toBe("skipped");
    expect(delivery?.sentAt).toBeNull();
  });

  it("is skipped when the integration is switched off", async () => {
    const { owner, bot, client } = await ownerWithBot();
    const off = await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { is_active: false } });
    expect(off.status).toBe(200);
    expect(off.body.is_active).toBe(false);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, n) => submitJson(owner.siteKey, { name: `Switched off ${n}` })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    // Every queued lead is skipped, not only the first: a skipped lead does not hold the queue.
    for (const response of responses) expect((await settledDelivery(response.body.id))?.status).toBe("skipped");
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("is skipped when the integration has no owner chat", async () => {
    const { owner, bot, client } = await ownerWithBot({ ownerChat: false });
    const response = await submitJson(owner.siteKey, { name: "No chat" });
    expect(response.status).toBe(201);
    expect((await settledDelivery(response.body.id))?.status).toBe("skipped");
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("fails with Telegram's reason, and is not retried, when the chat blocked the bot", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    await client.blockBot(chat.id, bot.id);
    const response = await submitJson(owner.siteKey, { name: "Blocked" });
    expect(response.status).toBe(201);
    const delivery = await settledDelivery(response.body.id);
    expect(delivery).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "Forbidden: bot was blocked by the user",
      partsSent: 0,
    });
    expect(delivery?.sentAt).toBeNull();

    await sleep(3_000);
    expect(await deliveryOf(response.body.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("retries after Telegram's 5xx, then sends once and keeps both attempts in the history", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    await client.injectFault({ kind: "internal_error", times: 1, method: "sendMessage", bot_id: bot.id });
    const response = await submitJson(owner.siteKey, { name: "Second time lucky" });
    expect(response.status).toBe(201);

    const retrying = await settledDelivery(response.body.id);
    expect(retrying).toMatchObject({ status: "retrying", attempts: 1, partsSent: 0 });
    const deadline = Date.now() + 10_000;
    while ((await deliveryOf(response.body.id))?.status !== "sent" && Date.now() < deadline) await sleep(100);

    const sent = await deliveryOf(response.body.id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null, partsSent: 1, leaseUntil: null });
    expect(String(sent?.chatId)).toBe(String(chat.id));
    expect(sent?.sentAt).not.toBeNull();
    const history = await query(
      `SELECT "outcome", "errorCode" FROM "DeliveryAttempt" WHERE "deliveryId" = ? ORDER BY "attemptedAt"`,
      [sent?.id],
    );
    expect(history).toEqual([
      { outcome: "retrying", errorCode: 500 },
      { outcome: "sent", errorCode: null },
    ]);
    expect((await client.messages(bot.id)).map((message) => message.text)).toEqual([
      expect.stringContaining("Second time lucky"),
    ]);
  });
});
