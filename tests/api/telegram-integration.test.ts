import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { addMember, newBotWithChat, registerOwner, sandbox } from "../support/api-client";
import {
  BASE,
  NOT_FOUND,
  INVALID_TOKEN,
  UNAVAILABLE,
  WEBHOOK_URL,
  type Integration,
  rememberToken,
  secretOf,
  call,
  fresh,
  newBot,
  connect,
  getIntegration,
  webhookUrlOf,
  registerWebhook,
  masked,
  unknownToken,
  expectIntegrationShape,
  expectValidationError,
  storedIntegration,
  expectStoredToken,
  ROUTES,
} from "../support/telegram-integration";

/**
 * The spec's /api/v1/telegram/integration* endpoints as an outside client sees them, against
 * the production server pointed at the Telegram sandbox. Every test brings its own site, bot
 * and chat; Telegram failures are injected per bot so parallel files are not disturbed.
 */

describe("access to /api/v1/telegram/integration*", () => {
  it("answers 401 Not authenticated without credentials or with a bogus bearer token", async () => {
    for (const route of ROUTES) {
      for (const token of [undefined, "not-a-real-token"]) {
        const response = await call(route.method, route.path, { body: route.body, token });
        const label = `${route.method} ${route.path} token=${token}`;
        expect(response.status, label).toBe(401);
        expect(response.body, label).toEqual({ detail: "Not authenticated", code: "not_authenticated" });
        expect(response.headers.get("www-authenticate"), label).toMatch(/^Bearer/);
      }
    }
  });

  it("refuses a member with 403 on every route and changes nothing", async () => {
    const { owner, bot, chat } = await fresh();
    const before = await connect(owner, bot.token, { owner_chat_id: chat.id });
    const member = await addMember(owner, "member");
    for (const route of ROUTES) {
      const response = await call(route.method, route.path, { token: member.token, body: route.body });
      const label = `${route.method} ${route.path}`;
      expect(response.status, label).toBe(403);
      expect(typeof (response.body as { detail: unknown }).detail, label).toBe("string");
    }
    expect(await getIntegration(owner)).toEqual(before);
    expect(await sandbox().messages(bot.id)).toEqual([]);
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
  });

  it("lets an admin of the site manage its integration", async () => {
    const { owner, bot, chat } = await fresh();
    const admin = await addMember(owner, "admin");
    const created = await connect(admin, bot.token);
    expect(created.tenant_id).toBe(owner.tenantId);
    expect(await getIntegration(owner)).toEqual(created);

    const patched = await call<Integration>("PATCH", BASE, { token: admin.token, body: { owner_chat_id: chat.id } });
    expect(patched.status).toBe(200);
    expect(patched.body.owner_chat_id).toBe(chat.id);

    const test = await call("POST", `${BASE}/test`, { token: admin.token, body: {} });
    expect(test.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
    expect((await call("GET", `${BASE}/webhook-url`, { token: admin.token })).status).toBe(200);
    await registerWebhook(admin, bot);
    expect((await call("DELETE", `${BASE}/webhook`, { token: admin.token })).body).toEqual({
      success: true,
      message: "Webhook removed",
    });
    expect((await call("DELETE", BASE, { token: admin.token })).status).toBe(204);
    expect(await getIntegration(owner)).toBeNull();
  });
});

describe("GET /api/v1/telegram/integration", () => {
  it("answers 200 with the JSON literal null when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await fetch(`${inject("appUrl")}${BASE}`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await response.text()).trim()).toBe("null");
  });

  it("returns exactly the spec's fields (and the additive ones) once a bot is connected", async () => {
    const { owner, bot, chat } = await fresh();
    const created = await connect(owner, bot.token, { owner_chat_id: chat.id, welcome_message: "Привет!" });
    const integration = await getIntegration(owner);
    expectIntegrationShape(integration);
    expect(integration).toEqual(created);
    expect(integration).toMatchObject({
      tenant_id: owner.tenantId,
      bot_username: bot.username,
      owner_chat_id: chat.id,
      webhook_url: null,
      is_webhook_active: false,
      is_active: true,
      welcome_message: "Привет!",
      bot_token_masked: masked(bot),
    });
  });
});

describe("POST /api/v1/telegram/integration", () => {
  it("verifies the token and answers 201 with the integration", async () => {
    const { owner, bot, chat } = await fresh();
    const started = Date.now();
    const response = await call<Integration>("POST", BASE, {
      token: owner.token,
      body: {
        bot_token: bot.token,
        owner_chat_id: chat.id,
        welcome_message: "Привет! Я бот для уведомлений о заявках.",
      },
    });
    expect(response.status).toBe(201);
    expectIntegrationShape(response.body);
    expect(response.body).toMatchObject({
      tenant_id: owner.tenantId,
      bot_username: bot.username,
      owner_chat_id: chat.id,
      webhook_url: null,
      is_webhook_active: false,
      is_active: true,
      welcome_message: "Привет! Я бот для уведомлений о заявках.",
      bot_token_masked: masked(bot),
    });
    expect(response.body.bot_token_masked).toMatch(/^\d+:••••••••[A-Za-z0-9_-]{4}$/);
    const createdAt = Date.parse(response.body.created_at);
    expect(Math.abs(createdAt - started)).toBeLessThan(60_000);
    expect(response.body.updated_at >= response.body.created_at).toBe(true);
  });

  it("takes bot_token alone: owner_chat_id and welcome_message are null", async () => {
    const { owner, bot } = await fresh();
    const integration = await connect(owner, bot.token);
    expect(integration).toMatchObject({
      owner_chat_id: null,
      welcome_message: null,
      is_active: true,
      bot_token_masked: masked(bot),
    });
  });

  it("stores the token Fernet-encrypted under ENCRYPTION_KEY and never in plain text", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await expectStoredToken(owner.tenantId, bot.token);
  });

  it("round-trips large and negative chat ids exactly", async () => {
    for (const chatId of [-1001234567890, 4503599627370495, -4503599627370495]) {
      const { owner, bot } = await fresh();
      const integration = await connect(owner, bot.token, { owner_chat_id: chatId });
      expect(integration.owner_chat_id, String(chatId)).toBe(chatId);
      expect((await getIntegration(owner))?.owner_chat_id, String(chatId)).toBe(chatId);
    }
  });

  it("answers 400 for unknown, revoked and malformed tokens, and stores nothing", async () => {
    const { owner, bot } = await fresh();
    const wrongSecret = `${bot.id}:${"A".repeat(32)}xyz`; // the bot's id with another secret: a revoked token
    const candidates = [
      unknownToken(),
      wrongSecret,
      "not-a-token",
      "123:abc",
      `${bot.id}:short`,
      `${bot.id}:${secretOf(bot.token)}!`,
      `${bot.id}${secretOf(bot.token)}`,
    ];
    candidates.forEach(rememberToken);
    for (const candidate of candidates) {
      const response = await call("POST", BASE, { token: owner.token, body: { bot_token: candidate } });
      expect(response.status, candidate).toBe(400);
      expect(response.body, candidate).toEqual(INVALID_TOKEN);
    }
    expect(await getIntegration(owner)).toBeNull();
    expect(await storedIntegration(owner.tenantId)).toBeUndefined();
  });

  it("answers 502 when Telegram answers 5xx or drops the connection, and stores nothing", async () => {
    const { owner, bot } = await fresh();
    for (const kind of ["internal_error", "bad_gateway", "connection_reset"] as const) {
      await sandbox().injectFault({ kind, method: "getMe", bot_id: bot.id });
      const response = await call("POST", BASE, { token: owner.token, body: { bot_token: bot.token } });
      expect(response.status, kind).toBe(502);
      expect(response.body, kind).toEqual(UNAVAILABLE);
    }
    expect(await getIntegration(owner)).toBeNull();
    // Telegram is back: the same token is fine.
    expect((await connect(owner, bot.token)).bot_username).toBe(bot.username);
  });

  it("replaces the settings when the same bot is posted again, keeping id and webhook", async () => {
    const { owner, bot, chat } = await fresh();
    const first = await connect(owner, bot.token, { owner_chat_id: chat.id, welcome_message: "one" });
    await call("PATCH", BASE, { token: owner.token, body: { is_active: false } });
    const webhook = await registerWebhook(owner, bot);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // updated_at has whole seconds

    const otherChat = await sandbox().createPrivateChat({ first_name: "Second" });
    const second = await connect(owner, bot.token, { owner_chat_id: otherChat.id, welcome_message: "two" });
    expectIntegrationShape(second);
    expect(second).toMatchObject({
      id: first.id,
      created_at: first.created_at,
      owner_chat_id: otherChat.id,
      welcome_message: "two",
      is_active: true,
      is_webhook_active: true,
      webhook_url: webhook.url,
      bot_token_masked: masked(bot),
    });
    expect(second.updated_at > first.updated_at).toBe(true);
    expect((await sandbox().getBot(bot.id)).webhook?.url).toBe(webhook.url);
    expect(await getIntegration(owner)).toEqual(second);
  });

  it("switching to another bot resets the webhook and removes the old bot's webhook at Telegram", async () => {
    const { owner, bot } = await fresh();
    const first = await connect(owner, bot.token);
    const oldUrl = await webhookUrlOf(owner);
    await registerWebhook(owner, bot);

    const other = await newBot();
    const second = await connect(owner, other.token);
    expect(second).toMatchObject({
      bot_username: other.username,
      bot_token_masked: masked(other),
      webhook_url: null,
      is_webhook_active: false,
    });
    expect(second.id).toBe(first.id);
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
    const newUrl = await webhookUrlOf(owner);
    expect(newUrl).toMatch(WEBHOOK_URL);
    expect(newUrl).not.toBe(oldUrl);
    await expectStoredToken(owner.tenantId, other.token);
  });

  it("answers 422 with a detail list for a schema-invalid body and stores nothing", async () => {
    const { owner, bot } = await fresh();
    const cases: { body: unknown; loc: (string | number)[] }[] = [
      { body: {}, loc: ["body", "bot_token"] },
      { body: { owner_chat_id: 1 }, loc: ["body", "bot_token"] },
      { body: { bot_token: bot.token, owner_chat_id: "123456789" }, loc: ["body", "owner_chat_id"] },
      { body: { bot_token: bot.token, owner_chat_id: 1.5 }, loc: ["body", "owner_chat_id"] },
      { body: { bot_token: bot.token, welcome_message: "x".repeat(4001) }, loc: ["body", "welcome_message"] },
      { body: { bot_token: 123456789 }, loc: ["body", "bot_token"] },
    ];
    for (const { body, loc } of cases) {
      expectValidationError(await call("POST", BASE, { token: owner.token, body }), loc);
    }
    const missing = await call<{ detail: { loc: unknown; type: string; msg: string }[] }>("POST", BASE, {
      token: owner.token,
      body: {},
    });
    expect(missing.body.detail).toContainEqual({ loc: ["body", "bot_token"], msg: "Field required", type: "missing" });
    const broken = await call("POST", BASE, {
      token: owner.token,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(422);
    expect(Array.isArray((broken.body as { detail: unknown }).detail)).toBe(true);
    expect(await getIntegration(owner)).toBeNull();
  });

  it("accepts a welcome message of exactly 4000 characters", async () => {
    const { owner, bot } = await fresh();
    const integration = await connect(owner, bot.token, { welcome_message: "ж".repeat(4000) });
    expect(integration.welcome_message).toBe("ж".repeat(4000));
  });
});

describe("PATCH /api/v1/telegram/integration", () => {
  it("changes only the fields given and answers 200 with the integration", async () => {
    const { owner, bot, chat } = await fresh();
    const created = await connect(owner, bot.token, { owner_chat_id: chat.id, welcome_message: "hello" });
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const response = await call<Integration>("PATCH", BASE, {
      token: owner.token,
      body: { owner_chat_id: 987654321, is_active: false },
    });
    expect(response.status).toBe(200);
    expectIntegrationShape(response.body);
    expect(response.body).toEqual({
      ...created,
      owner_chat_id: 987654321,
      is_active: false,
      updates_via: "none",
      updated_at: response.body.updated_at,
    });
    expect(response.body.updated_at > created.updated_at).toBe(true);
    expect(await getIntegration(owner)).toEqual(response.body);

    const welcome = await call<Integration>("PATCH", BASE, {
      token: owner.token,
      body: { welcome_message: "Новое приветствие", is_active: true },
    });
    expect(welcome.status).toBe(200);
    expect(welcome.body).toMatchObject({
      welcome_message: "Новое приветствие",
      is_active: true,
      owner_chat_id: 987654321,
      bot_username: bot.username,
    });

    const cleared = await call<Integration>("PATCH", BASE, {
      token: owner.token,
      body: { owner_chat_id: null, welcome_message: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ owner_chat_id: null, welcome_message: null, is_active: true });

    const nothing = await call<Integration>("PATCH", BASE, { token: owner.token, body: {} });
    expect(nothing.status).toBe(200);
    expect(nothing.body).toMatchObject({ id: created.id, owner_chat_id: null, welcome_message: null });
  });

  it("answers 422 for unknown fields and wrong types, changing nothing", async () => {
    const { owner, bot, chat } = await fresh();
    const created = await connect(owner, bot.token, { owner_chat_id: chat.id });
    const cases: { body: unknown; loc: (string | number)[] | null }[] = [
      { body: { bot_username: "someone_else_bot" }, loc: null },
      { body: { is_webhook_active: true, is_active: false }, loc: null },
      { body: { tenant_id: randomUUID() }, loc: null },
      { body: { owner_chat_id: "987654321" }, loc: ["body", "owner_chat_id"] },
      { body: { owner_chat_id: 98765.5 }, loc: ["body", "owner_chat_id"] },
      { body: { is_active: "no" }, loc: ["body", "is_active"] },
      { body: { welcome_message: "x".repeat(4001) }, loc: ["body", "welcome_message"] },
    ];
    for (const { body, loc } of cases) {
      const response = await call("PATCH", BASE, { token: owner.token, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray((response.body as { detail: unknown }).detail), JSON.stringify(body)).toBe(true);
      if (loc) expectValidationError(response, loc);
    }
    expect(await getIntegration(owner)).toEqual(created);
  });

  it("re-verifies a new token: another bot replaces the old one and its webhook", async () => {
    const { owner, bot, chat } = await fresh();
    const created = await connect(owner, bot.token, { owner_chat_id: chat.id });
    await registerWebhook(owner, bot);

    const other = await newBot();
    const response = await call<Integration>("PATCH", BASE, { token: owner.token, body: { bot_token: other.token } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: created.id,
      bot_username: other.username,
      bot_token_masked: masked(other),
      owner_chat_id: chat.id,
      webhook_url: null,
      is_webhook_active: false,
    });
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
    await expectStoredToken(owner.tenantId, other.token);
  });

  it("answers 400 for a bad new token and 502 when Telegram is down, keeping the old token", async () => {
    const { owner, bot } = await fresh();
    const created = await connect(owner, bot.token);
    const revoked = `${bot.id}:${"B".repeat(35)}`;
    rememberToken(revoked);
    for (const candidate of [unknownToken(), revoked, "garbage"]) {
      rememberToken(candidate);
      const response = await call("PATCH", BASE, { token: owner.token, body: { bot_token: candidate } });
      expect(response.status, candidate).toBe(400);
      expect(response.body, candidate).toEqual(INVALID_TOKEN);
    }

    const other = await newBot();
    for (const kind of ["internal_error", "connection_reset"] as const) {
      await sandbox().injectFault({ kind, method: "getMe", bot_id: other.id });
      const response = await call("PATCH", BASE, {
        token: owner.token,
        body: { bot_token: other.token, owner_chat_id: 42 },
      });
      expect(response.status, kind).toBe(502);
      expect(response.body, kind).toEqual(UNAVAILABLE);
    }
    expect(await getIntegration(owner)).toEqual(created);
    await expectStoredToken(owner.tenantId, bot.token);
  });

  it("answers 404 when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await call("PATCH", BASE, { token: owner.token, body: { is_active: false } });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});

describe("DELETE /api/v1/telegram/integration", () => {
  it("answers 204 with an empty body and forgets the integration", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await fetch(`${inject("appUrl")}${BASE}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await getIntegration(owner)).toBeNull();
    expect(await storedIntegration(owner.tenantId)).toBeUndefined();

    const again = await call("DELETE", BASE, { token: owner.token });
    expect(again.status).toBe(404);
    expect(again.body).toEqual(NOT_FOUND);
  });

  it("removes the bot's webhook at Telegram", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await registerWebhook(owner, bot);
    expect((await call("DELETE", BASE, { token: owner.token })).status).toBe(204);
    expect((await sandbox().getBot(bot.id)).webhook).toBeNull();
  });

  it("still deletes when Telegram cannot remove the webhook (best effort)", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    await registerWebhook(owner, bot);
    await sandbox().injectFault({ kind: "connection_reset", method: "deleteWebhook", bot_id: bot.id });
    expect((await call("DELETE", BASE, { token: owner.token })).status).toBe(204);
    expect(await getIntegration(owner)).toBeNull();
  });

  it("answers 404 when the site has no integration", async () => {
    const owner = await registerOwner();
    const response = await call("DELETE", BASE, { token: owner.token });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(NOT_FOUND);
  });
});

describe("tenant isolation", () => {
  it("refuses (409) a bot that is already connected to another site, by POST or PATCH", async () => {
    const { owner: a, bot } = await fresh();
    await connect(a, bot.token);
    const b = await registerOwner();
    const taken = await call("POST", BASE, { token: b.token, body: { bot_token: bot.token } });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ detail: "This bot is already connected to another site", code: "bot_taken" });

    const { bot: own } = await newBotWithChat("own");
    rememberToken(own.token);
    await connect(b, own.token);
    expect((await call("PATCH", BASE, { token: b.token, body: { bot_token: bot.token } })).status).toBe(409);
    expect((await getIntegration(b))?.bot_username).toBe(own.username);
    expect((await getIntegration(a))?.bot_username).toBe(bot.username);
  });

  it("never shows or lets another site touch a site's integration", async () => {
    const { owner: a, bot, chat } = await fresh();
    const created = await connect(a, bot.token, { owner_chat_id: chat.id });
    await registerWebhook(a, bot);
    const aIntegration = await getIntegration(a);
    const b = await registerOwner();

    expect(await getIntegration(b)).toBeNull();
    for (const route of [
      { method: "PATCH", path: BASE, body: { owner_chat_id: 1, is_active: false } },
      { method: "DELETE", path: BASE },
      { method: "POST", path: `${BASE}/test`, body: { chat_id: chat.id } },
      { method: "GET", path: `${BASE}/webhook-url` },
      { method: "POST", path: `${BASE}/webhook`, body: {} },
      { method: "DELETE", path: `${BASE}/webhook` },
      { method: "GET", path: `${BASE}/chats` },
      { method: "POST", path: `${BASE}/connect-link`, body: {} },
    ]) {
      const response = await call(route.method, route.path, { token: b.token, body: route.body });
      const label = `${route.method} ${route.path}`;
      expect(response.status, label).toBe(404);
      expect(response.body, label).toEqual(NOT_FOUND);
      expect(JSON.stringify(response.body), label).not.toContain(bot.username);
    }

    expect(await getIntegration(a)).toEqual(aIntegration);
    expect(aIntegration?.id).toBe(created.id);
    expect(await sandbox().messages(bot.id)).toEqual([]);
    expect((await sandbox().getBot(bot.id)).webhook?.url).toBe(aIntegration?.webhook_url);
  });

  it("gives each site its own integration when both connect bots", async () => {
    const { owner: a, bot: botA } = await fresh();
    const { owner: b, bot: botB } = await fresh();
    const integrationA = await connect(a, botA.token);
    const integrationB = await connect(b, botB.token);
    expect(integrationA.id).not.toBe(integrationB.id);
    expect(await getIntegration(a)).toMatchObject({ tenant_id: a.tenantId, bot_username: botA.username });
    expect(await getIntegration(b)).toMatchObject({ tenant_id: b.tenantId, bot_username: botB.username });
    expect((await call("DELETE", BASE, { token: b.token })).status).toBe(204);
    expect(await getIntegration(a)).toEqual(integrationA);
  });
});
