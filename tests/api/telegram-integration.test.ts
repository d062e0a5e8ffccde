import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { MultiFernet } from "@/lib/crypto/fernet";
import { addMember, api, newBotWithChat, registerOwner, sandbox, type Account, type ApiResponse } from "../support/api-client";
import { TEST_ENCRYPTION_KEY } from "../support/app-server";
import { TEST_PUBLIC_API_URL } from "../support/start-stack";

/**
 * The spec's /api/v1/telegram/integration* endpoints as an outside client sees them, against
 * the production server pointed at the Telegram sandbox. Every test brings its own site, bot
 * and chat; Telegram failures are injected per bot so parallel files are not disturbed.
 */

const BASE = "/api/v1/telegram/integration";
const NOT_FOUND = { detail: "Telegram integration not found" };
const INVALID_TOKEN = { detail: "Invalid Telegram bot token: Could not validate token with Telegram" };
const UNAVAILABLE = { detail: "Telegram API unavailable, try again" };
const UNAVAILABLE_MESSAGE = "Telegram API unavailable, try again";
const FIELDS = [
  "bot_token_masked",
  "bot_username",
  "created_at",
  "id",
  "is_active",
  "is_webhook_active",
  "owner_chat_id",
  "tenant_id",
  "updated_at",
  "webhook_url",
  "welcome_message",
];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEBHOOK_URL = new RegExp(`^${TEST_PUBLIC_API_URL.replace(/\./g, "\\.")}/api/v1/telegram/webhook/([A-Za-z0-9_-]+)$`);

type Integration = {
  id: string;
  tenant_id: string;
  bot_username: string | null;
  owner_chat_id: number | null;
  webhook_url: string | null;
  is_webhook_active: boolean;
  is_active: boolean;
  welcome_message: string | null;
  created_at: string;
  updated_at: string;
  bot_token_masked: string | null;
};
type Bot = { id: number; token: string; username: string };
type Options = { body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> };

// ---------------------------------------------------------------------------------------------
// Secrets that must never come back: every bot token (and its secret half) and webhook secret
// this file has seen. Every response of every test is checked against all of them.
// ---------------------------------------------------------------------------------------------

const secrets = new Set<string>();

function rememberToken(token: string) {
  secrets.add(token);
  // A short "secret" (of a deliberately malformed token) could occur in any random id.
  if (secretOf(token).length >= 20) secrets.add(secretOf(token));
}

const secretOf = (token: string) => token.slice(token.indexOf(":") + 1);

function expectNoSecrets(response: ApiResponse, where: string) {
  const text = JSON.stringify(response.body) + JSON.stringify([...response.headers]);
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`${where} leaked a secret (${secret.slice(0, 4)}…) in its response: ${text}`);
  }
}

/** `api()` plus the leak check. */
async function call<T = any>(method: string, path: string, options: Options = {}): Promise<ApiResponse<T>> {
  const response = await api<T>(method, path, options);
  expectNoSecrets(response, `${method} ${path}`);
  return response;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** A new site owner with a new sandbox bot and a private chat that started it. */
async function fresh(label = "leads") {
  const owner = await registerOwner();
  const { bot, chat, client } = await newBotWithChat(label);
  rememberToken(bot.token);
  return { owner, bot, chat, client };
}

async function newBot(label = "other") {
  const bot = await sandbox().createBot({ username: `${label}_${randomUUID().slice(0, 8)}_bot` });
  rememberToken(bot.token);
  return bot;
}

async function connect(owner: Account, botToken: string, extra: Record<string, unknown> = {}): Promise<Integration> {
  const response = await call<Integration>("POST", BASE, { token: owner.token, body: { bot_token: botToken, ...extra } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function getIntegration(owner: Account): Promise<Integration | null> {
  const response = await call<Integration | null>("GET", BASE, { token: owner.token });
  expect(response.status).toBe(200);
  return response.body;
}

async function webhookUrlOf(owner: Account): Promise<string> {
  const response = await call<{ webhook_url: string }>("GET", `${BASE}/webhook-url`, { token: owner.token });
  expect(response.status).toBe(200);
  return response.body.webhook_url;
}

/** Registers the default webhook and remembers the secret the sandbox was given. */
async function registerWebhook(owner: Account, bot: Bot) {
  const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
  expect(response.body).toEqual({ success: true, message: "Webhook registered successfully" });
  const webhook = (await sandbox().getBot(bot.id)).webhook;
  expect(webhook).not.toBeNull();
  secrets.add(webhook!.secret_token);
  return webhook!;
}

const masked = (bot: Bot) => `${bot.id}:••••••••${secretOf(bot.token).slice(-4)}`;

/** A well-formed token of a bot the sandbox does not know. */
const unknownToken = () => `${9_000_000_000 + Math.floor(Math.random() * 900_000_000)}:${randomUUID().replace(/-/g, "").slice(0, 32)}AAA`;

/** A chat id no sandbox chat has. */
const unknownChatId = () => 4_400_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

function expectIntegrationShape(body: unknown): asserts body is Integration {
  expect(body).not.toBeNull();
  expect(Object.keys(body as object).sort()).toEqual(FIELDS);
  const integration = body as Integration;
  expect(integration.id).toMatch(UUID);
  expect(integration.created_at).toMatch(TIMESTAMP);
  expect(integration.updated_at).toMatch(TIMESTAMP);
}

function expectValidationError(response: ApiResponse, loc: (string | number)[]) {
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  const detail = (response.body as { detail: unknown }).detail;
  expect(Array.isArray(detail), JSON.stringify(response.body)).toBe(true);
  const issues = detail as { loc: unknown; msg: unknown; type: unknown }[];
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(Array.isArray(issue.loc)).toBe(true);
    expect(typeof issue.msg).toBe("string");
    expect(typeof issue.type).toBe("string");
  }
  expect(issues.map((issue) => issue.loc)).toContainEqual(loc);
}

// ---------------------------------------------------------------------------------------------
// The database, read directly
// ---------------------------------------------------------------------------------------------

type StoredRow = Record<string, unknown> & { botTokenEncrypted: string };

async function storedIntegration(tenantId: string): Promise<StoredRow | undefined> {
  const url = inject("databaseUrl");
  if (inject("database") === "sqlite") {
    const sqlite = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare('SELECT * FROM "TelegramIntegration" WHERE "tenantId" = ?').get(tenantId) as StoredRow | undefined;
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<StoredRow>('SELECT * FROM "TelegramIntegration" WHERE "tenantId" = $1', [tenantId]);
    return rows[0];
  } finally {
    await client.end();
  }
}

const fernet = new MultiFernet([TEST_ENCRYPTION_KEY]);

/** The stored token is Fernet under the test key, and the plain token is in no column. */
async function expectStoredToken(tenantId: string, token: string) {
  const row = await storedIntegration(tenantId);
  expect(row).toBeDefined();
  expect(fernet.decrypt(row!.botTokenEncrypted).toString("utf8")).toBe(token);
  const everything = JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(secretOf(token));
}

// ---------------------------------------------------------------------------------------------

const ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: "GET", path: BASE },
  { method: "POST", path: BASE, body: { bot_token: "123456789:ABC-DEF1234ghIkl-zyx57W2v1u123ew11" } },
  { method: "PATCH", path: BASE, body: { is_active: false } },
  { method: "DELETE", path: BASE },
  { method: "POST", path: `${BASE}/test`, body: {} },
  { method: "GET", path: `${BASE}/webhook-url` },
  { method: "POST", path: `${BASE}/webhook`, body: {} },
  { method: "DELETE", path: `${BASE}/webhook` },
  { method: "GET", path: `${BASE}/chats` },
  { method: "POST", path: `${BASE}/connect-link`, body: {} },
];

describe("access to /api/v1/telegram/integration*", () => {
  it("answers 401 Not authenticated without credentials or with a bogus bearer token", async () => {
    for (const route of ROUTES) {
      for (const token of [undefined, "not-a-real-token"]) {
        const response = await call(route.method, route.path, { body: route.body, token });
        const label = `${route.method} ${route.path} token=${token}`;
        expect(response.status, label).toBe(401);
        expect(response.body, label).toEqual({ detail: "Not authenticated" });
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
    expect((await call("DELETE", `${BASE}/webhook`, { token: admin.token })).body).toEqual({ success: true, message: "Webhook removed" });
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

  it("returns exactly the spec's fields once a bot is connected", async () => {
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
      body: { bot_token: bot.token, owner_chat_id: chat.id, welcome_message: "Привет! Я бот для уведомлений о заявках." },
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
    expect(integration).toMatchObject({ owner_chat_id: null, welcome_message: null, is_active: true, bot_token_masked: masked(bot) });
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
    const candidates = [unknownToken(), wrongSecret, "not-a-token", "123:abc", `${bot.id}:short`, `${bot.id}:${secretOf(bot.token)}!`, `${bot.id}${secretOf(bot.token)}`];
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
    expect(second).toMatchObject({ bot_username: other.username, bot_token_masked: masked(other), webhook_url: null, is_webhook_active: false });
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
    const missing = await call<{ detail: { loc: unknown; type: string; msg: string }[] }>("POST", BASE, { token: owner.token, body: {} });
    expect(missing.body.detail).toContainEqual({ loc: ["body", "bot_token"], msg: "Field required", type: "missing" });
    const broken = await call("POST", BASE, { token: owner.token, rawBody: "{not json", headers: { "content-type": "application/json" } });
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

    const response = await call<Integration>("PATCH", BASE, { token: owner.token, body: { owner_chat_id: 987654321, is_active: false } });
    expect(response.status).toBe(200);
    expectIntegrationShape(response.body);
    expect(response.body).toEqual({ ...created, owner_chat_id: 987654321, is_active: false, updated_at: response.body.updated_at });
    expect(response.body.updated_at > created.updated_at).toBe(true);
    expect(await getIntegration(owner)).toEqual(response.body);

    const welcome = await call<Integration>("PATCH", BASE, { token: owner.token, body: { welcome_message: "Новое приветствие", is_active: true } });
    expect(welcome.status).toBe(200);
    expect(welcome.body).toMatchObject({ welcome_message: "Новое приветствие", is_active: true, owner_chat_id: 987654321, bot_username: bot.username });

    const cleared = await call<Integration>("PATCH", BASE, { token: owner.token, body: { owner_chat_id: null, welcome_message: null } });
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
      const response = await call("PATCH", BASE, { token: owner.token, body: { bot_token: other.token, owner_chat_id: 42 } });
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
    const response = await fetch(`${inject("appUrl")}${BASE}`, { method: "DELETE", headers: { authorization: `Bearer ${owner.token}` } });
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

describe("POST /api/v1/telegram/integration/test", () => {
  it("sends one message to the given chat_id", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chat.id } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
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
    expect(withObject.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
    const withNull = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: null } });
    expect(withNull.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
    const withoutBody = await call("POST", `${BASE}/test`, { token: owner.token });
    expect(withoutBody.status).toBe(200);
    expect(withoutBody.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
    expect(await sandbox().messages(bot.id, { chatId: chat.id })).toHaveLength(3);
  });

  it("prefers chat_id over owner_chat_id", async () => {
    const { owner, bot, chat } = await fresh();
    const other = await sandbox().createPrivateChat({ first_name: "Colleague" });
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: other.id } });
    expect(response.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: other.id });
    expect(await sandbox().messages(bot.id, { chatId: other.id })).toHaveLength(1);
    expect(await sandbox().messages(bot.id, { chatId: chat.id })).toHaveLength(0);
  });

  it("answers the spec's failure without chat_id and owner_chat_id", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: "No chat_id provided and owner_chat_id not configured", reason_code: "no_chat", chat_id: null });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("reports Telegram's refusal when the user blocked the bot", async () => {
    const { owner, bot, chat, client } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    await client.blockBot(chat.id, bot.id);
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: "Forbidden: bot was blocked by the user", reason_code: "bot_blocked", chat_id: chat.id });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("reports Telegram's refusal for an unknown chat", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    const chatId = unknownChatId();
    const response = await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chatId } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: false, message: "Bad Request: chat not found", reason_code: "chat_not_found", chat_id: chatId });
  });

  it("answers success false when Telegram is unreachable or behind a failing proxy", async () => {
    const { owner, bot, chat } = await fresh();
    await connect(owner, bot.token, { owner_chat_id: chat.id });
    for (const kind of ["connection_reset", "bad_gateway"] as const) {
      await sandbox().injectFault({ kind, method: "sendMessage", bot_id: bot.id });
      const response = await call("POST", `${BASE}/test`, { token: owner.token, body: {} });
      expect(response.status, kind).toBe(200);
      expect(response.body, kind).toEqual({ success: false, message: UNAVAILABLE_MESSAGE, reason_code: "telegram_unavailable", chat_id: chat.id });
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
    expect(response.body).toEqual({ success: false, message: UNAVAILABLE_MESSAGE, reason_code: "telegram_unavailable", chat_id: chat.id });
    expect(await sandbox().messages(bot.id)).toEqual([]);
  });

  it("answers 422 for a chat_id that is not an integer", async () => {
    const { owner, bot } = await fresh();
    await connect(owner, bot.token);
    for (const chatId of ["123456789", 1.5, true, [1]]) {
      expectValidationError(await call("POST", `${BASE}/test`, { token: owner.token, body: { chat_id: chatId } }), ["body", "chat_id"]);
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
    expect(webhook!.allowed_updates).toEqual(["message", "my_chat_member"]);

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

describe("tenant isolation", () => {
  it("refuses (409) a bot that is already connected to another site, by POST or PATCH", async () => {
    const { owner: a, bot } = await fresh();
    await connect(a, bot.token);
    const b = await registerOwner();
    const taken = await call("POST", BASE, { token: b.token, body: { bot_token: bot.token } });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ detail: "This bot is already connected to another site" });

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
