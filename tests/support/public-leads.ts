import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, inject } from "vitest";
import { SPEC_EXAMPLE_LEAD, SPEC_EXAMPLE_NOTIFICATION } from "@/lib/leads/__fixtures__/spec-example";
import { api, newBotWithChat, registerOwner, uniqueClientIp, type Account } from "./api-client";
import { sleep } from "./wait";

/** Fixtures and direct database reads shared by the tests of the public lead endpoint. */

// ---------------------------------------------------------------------------------------
// The database the server writes to, read directly: storage is what these tests check.

type Row = Record<string, unknown>;

let sqlite: Database.Database | undefined;
let postgres: Promise<pg.Client> | undefined;

/** Runs `sql` (with `?` placeholders) against the server's SQLite file or PostgreSQL. */
export async function query(sql: string, params: unknown[] = []): Promise<Row[]> {
  const url = inject("databaseUrl");
  if (url.startsWith("file:")) {
    sqlite ??= new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    return sqlite.prepare(sql).all(...params) as Row[];
  }
  postgres ??= (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  })();
  let index = 0;
  const result = await (
    await postgres
  ).query(
    sql.replace(/\?/g, () => `$${(index += 1)}`),
    params,
  );
  return result.rows as Row[];
}

afterAll(async () => {
  sqlite?.close();
  if (postgres) await (await postgres).end();
});

export async function leadRow(id: string): Promise<Row | undefined> {
  return (await query(`SELECT * FROM "Lead" WHERE "id" = ?`, [id]))[0];
}

export async function leadsOf(tenantId: string): Promise<Row[]> {
  return query(`SELECT * FROM "Lead" WHERE "tenantId" = ? ORDER BY "createdAt"`, [tenantId]);
}

export async function leadCount(tenantId: string): Promise<number> {
  const [row] = await query(`SELECT COUNT(*) AS n FROM "Lead" WHERE "tenantId" = ?`, [tenantId]);
  return Number(row?.n);
}

export async function deliveryOf(leadId: string): Promise<Row | undefined> {
  return (await query(`SELECT * FROM "Delivery" WHERE "leadId" = ?`, [leadId]))[0];
}

export { sleep };

/** The lead's delivery once it has left pending/sending (or as it is after `timeoutMs`). */
export async function settledDelivery(leadId: string, timeoutMs = 5_000): Promise<Row | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivery = await deliveryOf(leadId);
    if (delivery && delivery.status !== "pending" && delivery.status !== "sending") return delivery;
    if (Date.now() > deadline) return delivery;
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------
// Submitting leads.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const received = { id: expect.stringMatching(UUID), status: "received" };

export const leadsPath = (siteKey: string) => `/api/v1/public/leads/${siteKey}`;

/** POSTs a JSON lead through the shared client (a fresh client address unless given). */
export function submitJson(siteKey: string, body: unknown, headers: Record<string, string> = {}) {
  return api("POST", leadsPath(siteKey), { body, headers });
}

/** A raw request to the lead endpoint, for bodies other than JSON. */
export function send(
  siteKey: string,
  init: { method?: string; body?: BodyInit | ReadableStream<Uint8Array> | null; headers?: Record<string, string> },
) {
  const request = {
    method: init.method ?? "POST",
    headers: { "x-forwarded-for": uniqueClientIp(), ...init.headers },
    body: init.body ?? null,
    redirect: "manual",
    ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
  };
  return fetch(`${inject("appUrl")}${leadsPath(siteKey)}`, request as RequestInit);
}

export async function readJson(response: Response): Promise<any> {
  const text = await response.text();
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

/** An owner with a sandbox bot connected; the owner's chat is the notification chat unless `ownerChat` is false. */
export async function ownerWithBot({ ownerChat = true }: { ownerChat?: boolean } = {}) {
  const owner = await registerOwner();
  const setup = await newBotWithChat();
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: setup.bot.token, ...(ownerChat ? { owner_chat_id: setup.chat.id } : {}) },
  });
  expect(created.status).toBe(201);
  return { owner, ...setup };
}

export async function setAllowedOrigins(owner: Account, origins: string[]): Promise<void> {
  const response = await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { allowed_origins: origins } });
  expect(response.status).toBe(200);
  expect(response.body.allowed_origins).toEqual(origins);
}

/** `length` characters of numbered words (`<letter>00000 <letter>00001 …`), a line break every 20 words. */
export function numberedText(length: number, letter = "w"): string {
  let text = "";
  for (let word = 0; text.length < length; word += 1) {
    if (word > 0) text += word % 20 === 0 ? "\n" : " ";
    text += `${letter}${String(word).padStart(5, "0")}`;
  }
  return text.slice(0, length);
}

export const wordsOf = (text: string, letter = "w") =>
  [...text.matchAll(new RegExp(`\\b${letter}\\d{5}\\b`, "g"))].map((match) => match[0]);

export const SPEC_LEAD = SPEC_EXAMPLE_LEAD;
export const SPEC_NOTIFICATION = SPEC_EXAMPLE_NOTIFICATION;

/** What browsers send with a form's navigation. */
export const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

export const UA = {
  iphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  chrome:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};
