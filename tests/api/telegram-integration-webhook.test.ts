import { describe, expect, it } from "vitest";
import { registerOwner, sandbox } from "../support/api-client";
import {
  BASE,
  NOT_FOUND,
  UNAVAILABLE_MESSAGE,
  WEBHOOK_URL,
  secrets,
  call,
  fresh,
  connect,
  getIntegration,
  webhookUrlOf,
  registerWebhook,
} from "../support/telegram-integration";

/**
 * The spec's /api/v1/telegram/integration* endpoints as an outside client sees them, against
 * the production server pointed at the Telegram sandbox. Every test brings its own site, bot
 * and chat; Telegram failures are injected per bot so parallel files are not disturbed.
 */

describe("GET /api/v1/telegram/integration/webhook-url", () => {
  it("answers the URL under PUBLIC_API_URL with a random URL-safe path id", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await call("GET", `${BASE}/webhook-url`, { token: owner.token });
    expect(response.status).toBe(200);
    const body = response.body as { webhook_url: string; is_configured: boolean; message: string | null };
    expect(Object.keys(body).sort()).toEqual(["is_configured", "message", "webhook_url"]);
    expect(body).toEqual({ webhook_url: expect.stringMatching(WEBHOOK_URL), is_configured: true, message: null });
    const pathId = WEBHOOK_URL.exec(body.webhook_url)?.[1] ?? "";
    expect(pathId.length).toBeGreaterThanOrEqual(16);
    expect(body.webhook_url).not.toContain(owner.tenantId);
    expect(await webhookUrlOf(owner)).toBe(body.webhook_url);

    const { owner: other, bot: otherBot } = await fresh();
    await connect(other, otherBot.token);
    expect(await webhookUrlOf(other)).not.toBe(body.webhook_url);
  });

  it("answers 404 when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await call("GET", `${BASE}/webhook-url`, { token: owner.token });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});

describe("POST /api/v1/telegram/integration/webhook", () => {
  it("registers the default URL with a secret token and the update kinds the receiver needs", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const url = await webhookUrlOf(owner);
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Webhook registered successfully" });

    const webhook = (await sandbox().getBot(bot.id)).webhook;
    expect(webhook).not.toBeNull();
    secrets.add(webhook!.secret_token);
    expect(webhook!.url).toBe(url);
    expect(webhook!.secret_token).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect([...webhook!.allowed_updates!].sort()).toEqual(["callback_query", "message", "my_chat_member"]);

    const integration = await getIntegration(owner);
    expect(integration).toMatchObject({ is_webhook_active: true, webhook_url: url });
    // The secret is now known: neither view may show it.
    await call("GET", `${BASE}/webhook-url`, { token: owner.token });
  });

  it("registers with no body at all", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Webhook registered successfully" });
    expect((await sandbox().getBot(bot.id)).webhook?.url).toBe(await webhookUrlOf(owner));
  });

  it("accepts an https URL on another host (a tunnel) ending with the integration's path", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const pathId = WEBHOOK_URL.exec(await webhookUrlOf(owner))?.[1];
    const tunnel = `https://tunnel.example.net/api/v1/telegram/webhook/${pathId}`;
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: { webhook_url: tunnel } });
    expect(response.body).toEqual({ success: true, message: "Webhook registered successfully" });
    expect((await sandbox().getBot(bot.id)).webhook?.url).toBe(tunnel);
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: true, webhook_url: tunnel });
  });

  it("answers 400 for http, another path, another site's path and non-URLs, registering nothing", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const { owner: neighbour, bot: neighbourBot } = await fresh();
    await connect(neighbour, neighbourBot.token);
    const own = new URL(await webhookUrlOf(owner));
    const neighbours = await webhookUrlOf(neighbour);
    for (const webhookUrl of [
      `http://leadgram.example${own.pathname}`,
      "https://leadgram.example/api/v1/telegram/webhook/somebody-else",
      "https://leadgram.example/somewhere/else",
      `https://leadgram.example${own.pathname}/extra`,
      `https://leadgram.example${own.pathname}?x=1`,
      neighbours,
      "not a url",
    ]) {
      const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: { webhook_url: webhookUrl } });
      expect(response.status, webhookUrl).toBe(400);
      expect(typeof (response.body as { detail: unknown }).detail, webhookUrl).toBe("string");
    }
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
    expect((await sandbox().getBot(neighbourBot.id)).webhook).toBeNull();
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: false, webhook_url: null });
  });

  it("reports Telegram's refusal as a failure and stays inactive", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await sandbox().injectFault({ kind: "too_many_requests", method: "setWebhook", bot_id: bot.id, retry_after: 3 });
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    const body = response.body as { success: boolean; message: string };
    expect(Object.keys(body).sort()).toEqual(["message", "success"]);
    expect(body.success).toBe(false);
    expect(body.message).toMatch(/Too Many Requests/);
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: false, webhook_url: null });
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
  });

  it("reports Telegram's own 500 as unavailable, not as a refusal, and stays inactive", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await sandbox().injectFault({ kind: "internal_error", method: "setWebhook", bot_id: bot.id });
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: UNAVAILABLE_MESSAGE });
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: false, webhook_url: null });
  });

  it("reports an unreachable Telegram as a failure and stays inactive", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await sandbox().injectFault({ kind: "connection_reset", method: "setWebhook", bot_id: bot.id });
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: UNAVAILABLE_MESSAGE });
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: false, webhook_url: null });
  });

  it("answers 404 when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});

describe("DELETE /api/v1/telegram/integration/webhook", () => {
  it("removes the webhook at Telegram and in the integration", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await registerWebhook(owner, bot);
    const response = await call("DELETE", `${BASE}/webhook`, { token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Webhook removed" });
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: false, webhook_url: null });
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();

    // Registering again works (a second setWebhook for this bot, past the sandbox's 1/s limit).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await registerWebhook(owner, bot);
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: true });
  });

  it("answers success when no webhook was registered", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await call("DELETE", `${BASE}/webhook`, { token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Webhook removed" });
  });

  it("reports a failure when Telegram is unreachable and keeps the webhook shown as active", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const webhook = await registerWebhook(owner, bot);
    await sandbox().injectFault({ kind: "connection_reset", method: "deleteWebhook", bot_id: bot.id });
    const response = await call("DELETE", `${BASE}/webhook`, { token: owner.token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: UNAVAILABLE_MESSAGE });
    expect(await getIntegration(owner)).toMatchObject({ is_webhook_active: true, webhook_url: webhook.url });
  });

  it("answers 404 when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await call("DELETE", `${BASE}/webhook`, { token: owner.token });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});
