import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS, FloodControl, mergeRateLimits } from "./rate-limits";
import { startFixture, type SandboxFixture } from "./test-support";

describe("FloodControl", () => {
  it("lets a burst through, then announces whole seconds to wait", () => {
    let now = 0;
    const flood = new FloodControl(DEFAULT_RATE_LIMITS, () => now);
    const chatId = 42;
    expect([1, 2, 3].map(() => flood.trySend(1, chatId).ok)).toEqual([true, true, true]);
    expect(flood.trySend(1, chatId)).toEqual({ ok: false, retryAfter: 1 });
    now = 999;
    expect(flood.trySend(1, chatId).ok).toBe(false);
    now = 1000;
    expect(flood.trySend(1, chatId).ok).toBe(true);
    // Another chat of the same bot is not affected.
    expect(flood.trySend(1, 43).ok).toBe(true);
  });

  it("limits groups to 20 per minute and rounds long waits up", () => {
    let now = 0;
    const flood = new FloodControl(DEFAULT_RATE_LIMITS, () => now);
    for (let i = 0; i < 20; i++) {
      expect(flood.trySend(1, -100).ok).toBe(true);
      now += 10;
    }
    expect(flood.trySend(1, -100)).toEqual({ ok: false, retryAfter: 3 });
  });

  it("limits a bot to 30 messages per second across chats", () => {
    const flood = new FloodControl(DEFAULT_RATE_LIMITS, () => 0);
    const results = Array.from({ length: 31 }, (_, i) => flood.trySend(7, 1000 + i).ok);
    expect(results.filter(Boolean)).toHaveLength(30);
    expect(flood.trySend(8, 1).ok).toBe(true);
  });

  it("can be switched off and reconfigured", () => {
    const flood = new FloodControl(mergeRateLimits(DEFAULT_RATE_LIMITS, { enabled: false }), () => 0);
    expect(Array.from({ length: 100 }, () => flood.trySend(1, 1).ok).every(Boolean)).toBe(true);
    flood.configure(mergeRateLimits(DEFAULT_RATE_LIMITS, { privateChat: { burst: 1 } }));
    expect([flood.trySend(1, 1).ok, flood.trySend(1, 1).ok]).toEqual([true, false]);
  });
});

describe("flood limits over HTTP", () => {
  let fx: SandboxFixture;

  afterEach(async () => {
    await fx.sandbox.close();
  });

  it("answers 429 with retry_after and counts it", async () => {
    fx = await startFixture();
    const statuses: number[] = [];
    let limited: unknown;
    for (let i = 0; i < 4; i++) {
      const reply = await fx.call("sendMessage", { chat_id: fx.chat.id, text: `m${i}` });
      statuses.push(reply.status);
      if (reply.status === 429) {
        limited = reply.body;
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(limited).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const stats = await fx.client.stats();
    expect(stats).toMatchObject({ rate_limited: 1, too_many_requests: 1, messages_sent: 3 });
    expect(await fx.client.messages(fx.bot.id)).toHaveLength(3);
  });

  it("is configurable at start and through the control API", async () => {
    fx = await startFixture({ rateLimits: { privateChat: { burst: 1 } } });
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "a" })).status).toBe(200);
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "b" })).status).toBe(429);

    await fx.client.disableRateLimits();
    for (let i = 0; i < 10; i++) {
      expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: `c${i}` })).status).toBe(200);
    }
    const limits = await fx.client.setRateLimits({
      enabled: true,
      privateChat: { count: 1000, perMs: 1000, burst: 5 },
    });
    expect(limits.privateChat).toEqual({ count: 1000, perMs: 1000, burst: 5 });
    expect((await fx.client.getConfig()).rate_limits.enabled).toBe(true);
  });

  it("lets an app pacing at the documented rate through without any 429", async () => {
    fx = await startFixture({ rateLimits: { privateChat: { count: 1, perMs: 100, burst: 1 } } });
    for (let i = 0; i < 5; i++) {
      expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: `paced ${i}` })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 110));
    }
    const sent = await fx.client.messages(fx.bot.id);
    const gaps = sent.slice(1).map((m, i) => m.sent_at - sent[i]!.sent_at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect((await fx.client.stats()).too_many_requests).toBe(0);
  });

  it("limits setWebhook to one call per second", async () => {
    fx = await startFixture();
    const set = () => fx.call("setWebhook", { url: `https://app.example.com/hook/${Math.random()}` });
    expect((await set()).status).toBe(200);
    expect((await set()).body).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
  });
});
