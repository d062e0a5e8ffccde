import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { expect, inject } from "vitest";
import { MultiFernet } from "@/lib/crypto/fernet";
import { api, newBotWithChat, registerOwner, sandbox, type Account, type ApiResponse } from "./api-client";
import { TEST_ENCRYPTION_KEY } from "./app-server";
import { TEST_PUBLIC_API_URL } from "./start-stack";

/** Fixtures and checks shared by the tests of the /api/v1/telegram/integration* endpoints. */

export const BASE = "/api/v1/telegram/integration";
export const NOT_FOUND = { detail: "Telegram integration not found", code: "not_found" };
export const INVALID_TOKEN = {
  detail: "Invalid Telegram bot token: Could not validate token with Telegram",
  code: "invalid_bot_token",
};
export const UNAVAILABLE = { detail: "Telegram API unavailable, try again", code: "telegram_unavailable" };
export const UNAVAILABLE_MESSAGE = "Telegram API unavailable, try again";
const SPEC_FIELDS = [
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
/** Leadgram's additions (README: how updates arrive); the spec's fields stay as they are. */
const ADDITIVE_FIELDS = ["polling_error", "updates_via"];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const WEBHOOK_URL = new RegExp(
  `^${TEST_PUBLIC_API_URL.replace(/\./g, "\\.")}/api/v1/telegram/webhook/([A-Za-z0-9_-]+)$`,
);

export type Integration = {
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
  updates_via: "webhook" | "polling" | "none";
  polling_error: { code: string; message: string } | null;
};
type Bot = { id: number; token: string; username: string };
type Options = { body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> };

// ---------------------------------------------------------------------------------------------
// Secrets that must never come back: every bot token (and its secret half) and webhook secret
// this file has seen. Every response of every test is checked against all of them.
// ---------------------------------------------------------------------------------------------

export const secrets = new Set<string>();

export function rememberToken(token: string) {
  secrets.add(token);
  // A short "secret" (of a deliberately malformed token) could occur in any random id.
  if (secretOf(token).length >= 20) secrets.add(secretOf(token));
}

export const secretOf = (token: string) => token.slice(token.indexOf(":") + 1);

function expectNoSecrets(response: ApiResponse, where: string) {
  const text = JSON.stringify(response.body) + JSON.stringify([...response.headers]);
  for (const secret of secrets) {
    if (text.includes(secret))
      throw new Error(`${where} leaked a secret (${secret.slice(0, 4)}…) in its response: ${text}`);
  }
}

/** `api()` plus the leak check. */
export async function call<T = any>(method: string, path: string, options: Options = {}): Promise<ApiResponse<T>> {
  const response = await api<T>(method, path, options);
  expectNoSecrets(response, `${method} ${path}`);
  return response;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** A new site owner with a new sandbox bot and a private chat that started it. */
export async function fresh(label = "leads") {
  const owner = await registerOwner();
  const { bot, chat, client } = await newBotWithChat(label);
  rememberToken(bot.token);
  return { owner, bot, chat, client };
}

export async function newBot(label = "other") {
  const bot = await sandbox().createBot({ username: `${label}_${randomUUID().slice(0, 8)}_bot` });
  rememberToken(bot.token);
  return bot;
}

export async function connect(
  owner: Account,
  botToken: string,
  extra: Record<string, unknown> = {},
): Promise<Integration> {
  const response = await call<Integration>("POST", BASE, {
    token: owner.token,
    body: { bot_token: botToken, ...extra },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function getIntegration(owner: Account): Promise<Integration | null> {
  const response = await call<Integration | null>("GET", BASE, { token: owner.token });
  expect(response.status).toBe(200);
  return response.body;
}

export async function webhookUrlOf(owner: Account): Promise<string> {
  const response = await call<{ webhook_url: string }>("GET", `${BASE}/webhook-url`, { token: owner.token });
  expect(response.status).toBe(200);
  return response.body.webhook_url;
}

/** Registers the default webhook and remembers the secret the sandbox was given. */
export async function registerWebhook(owner: Account, bot: Bot) {
  const response = await call("POST", `${BASE}/webhook`, { token: owner.token, body: {} });
  expect(response.body).toEqual({ success: true, message: "Webhook registered successfully" });
  const webhook = (await sandbox().getBot(bot.id)).webhook;
  expect(webhook).not.toBeNull();
  secrets.add(webhook!.secret_token);
  return webhook!;
}

export const masked = (bot: Bot) => `${bot.id}:••••••••${secretOf(bot.token).slice(-4)}`;

/** A well-formed token of a bot the sandbox does not know. */
export const unknownToken = () =>
  `${9_000_000_000 + Math.floor(Math.random() * 900_000_000)}:${randomUUID().replace(/-/g, "").slice(0, 32)}AAA`;

/** A chat id no sandbox chat has. */
export const unknownChatId = () => 4_400_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

export function expectIntegrationShape(body: unknown): asserts body is Integration {
  expect(body).not.toBeNull();
  expect(Object.keys(body as object).sort()).toEqual([...SPEC_FIELDS, ...ADDITIVE_FIELDS].sort());
  const integration = body as Integration;
  expect(integration.id).toMatch(UUID);
  expect(integration.created_at).toMatch(TIMESTAMP);
  expect(integration.updated_at).toMatch(TIMESTAMP);
}

export function expectValidationError(response: ApiResponse, loc: (string | number)[]) {
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

export async function storedIntegration(tenantId: string): Promise<StoredRow | undefined> {
  const url = inject("databaseUrl");
  if (inject("database") === "sqlite") {
    const sqlite = new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare('SELECT * FROM "TelegramIntegration" WHERE "tenantId" = ?').get(tenantId) as
        StoredRow | undefined;
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<StoredRow>('SELECT * FROM "TelegramIntegration" WHERE "tenantId" = $1', [
      tenantId,
    ]);
    return rows[0];
  } finally {
    await client.end();
  }
}

const fernet = new MultiFernet([TEST_ENCRYPTION_KEY]);

/** The stored token is Fernet under the test key, and the plain token is in no column. */
export async function expectStoredToken(tenantId: string, token: string) {
  const row = await storedIntegration(tenantId);
  expect(row).toBeDefined();
  expect(fernet.decrypt(row!.botTokenEncrypted).toString("utf8")).toBe(token);
  const everything = JSON.stringify(row, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(secretOf(token));
}

// ---------------------------------------------------------------------------------------------

export const ROUTES: { method: string; path: string; body?: unknown }[] = [
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
