import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

const send = (text = "hi") => fx.call("sendMessage", { chat_id: fx.chat.id, text });

/** The error fetch raises when the sandbox drops the connection. */
async function networkError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
  return "no error";
}

describe("injected faults", () => {
  it("answers the next N calls with a 500 envelope, then recovers", async () => {
    const fault = await fx.client.injectFault({ kind: "internal_error", times: 2 });
    expect(fault).toMatchObject({ kind: "internal_error", remaining: 2 });
    const expected = { status: 500, body: { ok: false, error_code: 500, description: "Internal Server Error" } };
    expect(await send()).toEqual(expected);
    expect(await fx.call("getMe")).toEqual(expected);
    expect((await send()).status).toBe(200);
    expect(await fx.client.listFaults()).toEqual([]);
  });

  it("serves nginx's 502 HTML page", async () => {
    await fx.client.injectFault({ kind: "bad_gateway" });
    const response = await fetch(`${fx.sandbox.url}/bot${fx.bot.token}/sendMessage`, { method: "POST" });
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(await response.text()).toContain("<center><h1>502 Bad Gateway</h1></center>");
  });

  it("answers 429 with the requested retry_after and counts it apart from flood limits", async () => {
    await fx.client.injectFault({ kind: "too_many_requests", retry_after: 7 });
    const raw = await fetch(`${fx.sandbox.url}/bot${fx.bot.token}/getMe`);
    expect(raw.headers.get("retry-after")).toBe("7");
    await fx.client.injectFault({ kind: "too_many_requests", retry_after: 7 });
    expect(await send()).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 7",
        parameters: { retry_after: 7 },
      },
    });
    expect(await fx.client.stats()).toMatchObject({
      too_many_requests: 2,
      injected_too_many_requests: 2,
      rate_limited: 0,
    });
  });

  it("targets one method and one bot", async () => {
    const other = await fx.client.createBot({ username: "other_leads_bot" });
    await fx.client.injectFault({ kind: "internal_error", method: "sendMessage", bot_id: other.id });
    expect((await fx.call("getMe", {}, other.token)).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "x" }, other.token)).status).toBe(500);
  });

  it("resets the connection", async () => {
    await fx.client.injectFault({ kind: "connection_reset" });
    expect(await networkError(send())).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect((await send()).status).toBe(200);
    expect((await fx.client.stats()).responses.reset).toBe(1);
  });

  it("hangs, then still processes the call like a slow Telegram would", async () => {
    await fx.client.injectFault({ kind: "hang", ms: 1000 });
    const abort = AbortSignal.timeout(100);
    const startedAt = performance.now();
    const timedOut = await networkError(
      fetch(`${fx.sandbox.url}/bot${fx.bot.token}/sendMessage`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ chat_id: fx.chat.id, text: "slow one" }),
        signal: abort,
      }),
    );
    expect(timedOut).toMatch(/TimeoutError|aborted/i);
    expect(performance.now() - startedAt).toBeLessThan(900);
    expect(await fx.client.messages(fx.bot.id)).toEqual([]);
    // The client gave up, but the message goes out when the stall ends: the duplicate risk apps must handle.
    const messages = await fx.client.waitForMessages(fx.bot.id, { count: 1, timeoutMs: 3000 });
    expect(messages.map((m) => m.text)).toEqual(["slow one"]);
  });

  it("hangs and then resets when asked to", async () => {
    await fx.client.injectFault({ kind: "hang", ms: 50, then: "reset" });
    expect(await networkError(send())).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await fx.client.messages(fx.bot.id)).toEqual([]);
  });

  it("hangs until the sandbox closes when no duration is given", async () => {
    await fx.client.injectFault({ kind: "hang" });
    const pending = networkError(send());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fx.sandbox.close();
    expect(await pending).not.toBe("no error");
    fx = await startFixture();
  });
});

describe("outage and reset", () => {
  it("drops every Bot API connection during an outage while the control API keeps working", async () => {
    await fx.client.setOutage(true);
    expect(await networkError(fx.call("getMe"))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await networkError(send())).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(await fx.client.health()).toMatchObject({ ok: true, outage: true });
    await fx.client.setOutage(false);
    expect((await send()).status).toBe(200);
  });

  it("resets everything", async () => {
    await send();
    await fx.client.injectFault({ kind: "internal_error" });
    await fx.client.setRateLimits({ enabled: true, privateChat: { burst: 1 } });
    await fx.client.reset();
    expect(await fx.client.listBots()).toEqual([]);
    expect(await fx.client.listChats()).toEqual([]);
    expect(await fx.client.allMessages()).toEqual([]);
    expect(await fx.client.listFaults()).toEqual([]);
    expect((await fx.client.stats()).requests).toBe(0);
    expect((await fx.client.getConfig()).rate_limits.enabled).toBe(false);
    expect((await fx.call("getMe")).status).toBe(401);
  });
});

describe("control API errors", () => {
  it("explains bad requests", async () => {
    await expect(fx.client.createBot({ username: "not_a_b0t" })).rejects.toMatchObject({ status: 400 });
    await expect(fx.client.createBot({ username: "acme_leads_bot" })).rejects.toMatchObject({ status: 409 });
    await expect(fx.client.createBot({ id: 5, token: `6:${"a".repeat(35)}` })).rejects.toMatchObject({ status: 400 });
    await expect(fx.client.sendText(fx.bot.id, 42, "hi")).rejects.toMatchObject({ status: 400 });
    await expect(fx.client.getBot(1)).rejects.toMatchObject({ status: 404 });
  });

  it("registers a bot with a given token", async () => {
    const token = `123456789:${"A".repeat(35)}`;
    const bot = await fx.client.createBot({ token, username: "given_token_bot" });
    expect(bot).toMatchObject({ id: 123456789, token });
    expect((await fx.call("getMe", {}, token)).body.result).toMatchObject({
      id: 123456789,
      username: "given_token_bot",
    });
  });
});
