import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";
import { enqueueUpdate } from "./update-queue";
import { buildUpdate } from "./updates";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

const texts = (result: unknown) => (result as Update[]).map((update) => update.message?.text);
const ids = (result: unknown) => (result as Update[]).map((update) => update.update_id);

describe("getUpdates", () => {
  it("serves the updates queued without a webhook until an offset confirms them", async () => {
    const first = await fx.client.sendText(fx.bot.id, fx.chat.id, "one");
    await fx.client.sendText(fx.bot.id, fx.chat.id, "two");
    await fx.client.sendText(fx.bot.id, fx.chat.id, "three");

    const all = await fx.call("getUpdates");
    expect(all.status).toBe(200);
    expect(texts(all.body.result)).toEqual(["one", "two", "three"]);
    expect(ids(all.body.result)).toEqual([first.update_id, first.update_id + 1, first.update_id + 2]);
    // Reading confirms nothing: the same updates come again.
    expect(texts((await fx.call("getUpdates", { limit: 2 })).body.result)).toEqual(["one", "two"]);

    const rest = await fx.call("getUpdates", { offset: first.update_id + 1 });
    expect(texts(rest.body.result)).toEqual(["two", "three"]);
    expect((await fx.call("getWebhookInfo")).body.result).toMatchObject({ pending_update_count: 2 });
    expect(texts((await fx.call("getUpdates")).body.result)).toEqual(["two", "three"]);

    expect((await fx.call("getUpdates", { offset: first.update_id + 3 })).body.result).toEqual([]);
    expect((await fx.client.getBot(fx.bot.id)).pending_update_count).toBe(0);
  });

  it("keeps only the last updates for a negative offset and ignores an offset far in the future", async () => {
    for (const text of ["a", "b", "c", "d"]) {
      await fx.client.sendText(fx.bot.id, fx.chat.id, text);
    }
    // An offset from another server's id space: telegram-bot-api serves from the head, confirming nothing.
    expect(texts((await fx.call("getUpdates", { offset: 2_000_000_000 })).body.result)).toEqual(["a", "b", "c", "d"]);
    expect(texts((await fx.call("getUpdates", { offset: -2 })).body.result)).toEqual(["c", "d"]);
    expect(texts((await fx.call("getUpdates")).body.result)).toEqual(["c", "d"]);
  });

  it("clamps limit to 1-100 and reads parameters from the query string too", async () => {
    for (const text of ["a", "b"]) {
      await fx.client.sendText(fx.bot.id, fx.chat.id, text);
    }
    expect(texts((await fx.call("getUpdates", { limit: 0 })).body.result)).toEqual(["a"]);
    expect(texts((await fx.call("getUpdates", { limit: 1000 })).body.result)).toEqual(["a", "b"]);
    const response = await fetch(`${fx.sandbox.url}/bot${fx.bot.token}/getUpdates?limit=1&offset=-1`);
    expect(texts(((await response.json()) as { result: unknown }).result)).toEqual(["b"]);
  });

  it("holds a long poll until an update arrives", async () => {
    const startedAt = Date.now();
    const poll = fx.call("getUpdates", { timeout: 30 });
    await waitUntil(async () => (await fx.client.getBot(fx.bot.id)).long_polling);
    await fx.client.sendText(fx.bot.id, fx.chat.id, "are you there?");
    const answered = await poll;
    expect(texts(answered.body.result)).toEqual(["are you there?"]);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect((await fx.client.getBot(fx.bot.id)).long_polling).toBe(false);
  });

  it("answers an empty list when the timeout passes", async () => {
    const startedAt = Date.now();
    const answered = await fx.call("getUpdates", { timeout: 1 });
    expect(answered).toEqual({ status: 200, body: { ok: true, result: [] } });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
  });

  it("ends the earlier long poll with 409 when another one starts", async () => {
    const earlier = fx.call("getUpdates", { timeout: 30 });
    await waitUntil(async () => (await fx.client.getBot(fx.bot.id)).long_polling);
    const later = fx.call("getUpdates", { timeout: 30 });
    expect(await earlier).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      },
    });
    await fx.client.sendText(fx.bot.id, fx.chat.id, "for the survivor");
    expect(texts((await later).body.result)).toEqual(["for the survivor"]);
  });

  it("is refused while a webhook is set, and a new webhook ends a held long poll", async () => {
    const held = fx.call("getUpdates", { timeout: 30 });
    await waitUntil(async () => (await fx.client.getBot(fx.bot.id)).long_polling);
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    expect(await held).toEqual({
      status: 409,
      body: { ok: false, error_code: 409, description: "Conflict: terminated by setWebhook request" },
    });
    expect(await fx.call("getUpdates")).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });
    await fx.call("deleteWebhook");
    expect((await fx.call("getUpdates")).status).toBe(200);
  });

  it("remembers allowed_updates across calls and filters updates when they are created", async () => {
    await fx.call("getUpdates", { allowed_updates: ["message"] });
    expect((await fx.call("getWebhookInfo")).body.result).toMatchObject({ allowed_updates: ["message"] });
    // Absent: the previous setting stays.
    await fx.call("getUpdates");
    const filtered = await fx.client.sendMyChatMember(fx.bot.id, fx.chat.id, "kicked");
    expect(filtered).toMatchObject({
      delivered: false,
      error: 'update type "my_chat_member" is not in allowed_updates',
    });
    await fx.client.sendText(fx.bot.id, fx.chat.id, "kept");
    expect(texts((await fx.call("getUpdates")).body.result)).toEqual(["kept"]);

    // An empty list restores the default (everything but chat_member and reactions).
    await fx.call("getUpdates", { allowed_updates: [] });
    expect((await fx.call("getWebhookInfo")).body.result).not.toHaveProperty("allowed_updates");
    await fx.client.sendMyChatMember(fx.bot.id, fx.chat.id, "member");
    const types = ((await fx.call("getUpdates")).body.result as Update[]).map((u) => Object.keys(u)[1]);
    expect(types).toEqual(["message", "my_chat_member"]);
  });

  it("drops pending updates with deleteWebhook's and setWebhook's drop_pending_updates", async () => {
    await fx.client.sendText(fx.bot.id, fx.chat.id, "stale");
    await fx.call("deleteWebhook", { drop_pending_updates: true });
    expect((await fx.call("getUpdates")).body.result).toEqual([]);

    await fx.client.sendText(fx.bot.id, fx.chat.id, "stale too");
    await fx.call("setWebhook", { url: "https://leadgram.example/hook", drop_pending_updates: true });
    await fx.call("deleteWebhook");
    expect((await fx.call("getUpdates")).body.result).toEqual([]);
  });

  it("serves an update again when the long poll it woke had lost its client", async () => {
    // A server killed while its long poll is held, and an update arriving before the sandbox
    // sees the connection close: the update answers a poll nobody reads. As in
    // telegram-bot-api, only an offset past it confirms it, so the next poll gets it.
    const client = new AbortController();
    const held = fetch(`${fx.sandbox.url}/bot${fx.bot.token}/getUpdates`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ timeout: 30 }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await waitUntil(async () => (await fx.client.getBot(fx.bot.id)).long_polling);
    client.abort();
    // In the same turn, before the sandbox can see the socket close.
    const bot = fx.sandbox.state.findBotByToken(fx.bot.token)!;
    const update = buildUpdate(fx.sandbox.state, bot, { chat_id: fx.chat.id, text: "while you died" });
    expect(fx.sandbox.state.longPolls.isHolding(fx.bot.id)).toBe(true);
    enqueueUpdate(fx.sandbox.state, bot, update);
    expect(fx.sandbox.state.longPolls.isHolding(fx.bot.id)).toBe(false);
    await held;

    expect(texts((await fx.call("getUpdates", { offset: update.update_id })).body.result)).toEqual(["while you died"]);
    expect((await fx.client.getBot(fx.bot.id)).pending_update_count).toBe(1);
  });

  it("ends held long polls promptly when the sandbox closes", async () => {
    const held = fx.call("getUpdates", { timeout: 50 }).catch((error: unknown) => error);
    await waitUntil(async () => (await fx.client.getBot(fx.bot.id)).long_polling);
    const startedAt = Date.now();
    await fx.sandbox.close();
    await held;
    expect(Date.now() - startedAt).toBeLessThan(1000);
    fx = await startFixture(); // afterEach closes this one
  });

  it("feeds a grammY bot that polls, which answers the user", async () => {
    const bot = new Bot(fx.bot.token, { client: { apiRoot: fx.sandbox.url } });
    bot.on("message:text", (ctx) => ctx.reply(`You said: ${ctx.message.text}`));
    const running = bot.start({ timeout: 30 });
    try {
      await fx.client.sendText(fx.bot.id, fx.chat.id, "hello bot");
      const [reply] = await fx.client.waitForMessages(fx.bot.id, { count: 1 });
      expect(reply?.text).toBe("You said: hello bot");
    } finally {
      await bot.stop();
      await running;
    }
    // bot.stop() confirmed what it handled.
    expect((await fx.client.getBot(fx.bot.id)).pending_update_count).toBe(0);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error("condition not met in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
