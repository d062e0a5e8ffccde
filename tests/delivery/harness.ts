import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import type { ExpectStatic } from "vitest";
import type { SentMessageRecord } from "../../sandbox/client";
import { connectBot as connectSiteBot, requestApi, signUpOwner, type Account } from "../support/api-client";
import type { DeliveryStack } from "./stack";
import { sleep, waitFor } from "../support/wait";

/**
 * What the delivery tests do to the app (sign up, connect a bot, submit leads) and how they
 * look at the outcome: the Delivery rows in the server's SQLite file and the messages the
 * sandbox recorded.
 */

export type Owner = Account;
export type Bot = { id: number; token: string };

export const call = (
  stack: DeliveryStack,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
) => requestApi(stack.appUrl, method, path, options);

export const registerOwner = (stack: DeliveryStack): Promise<Owner> => signUpOwner(stack.appUrl, "Delivery test site");

export const connectBot = (stack: DeliveryStack, owner: Owner, botToken: string, ownerChatId: number) =>
  connectSiteBot(stack.appUrl, owner, botToken, ownerChatId);

export async function newBot(stack: DeliveryStack): Promise<Bot> {
  const bot = await stack.client.createBot({ username: `dlv_${randomUUID().slice(0, 8)}_bot` });
  return { id: bot.id, token: bot.token };
}

/** A new site with a new bot connected to a new private chat (a user who pressed Start). */
export async function siteWithPrivateChat(stack: DeliveryStack) {
  const owner = await registerOwner(stack);
  const bot = await newBot(stack);
  const chat = await stack.client.createPrivateChat({ first_name: "Owner" });
  await connectBot(stack, owner, bot.token, chat.id);
  return { owner, bot, chatId: chat.id };
}

/** A new site with a new bot connected to a new basic group. */
export async function siteWithGroup(stack: DeliveryStack) {
  const owner = await registerOwner(stack);
  const bot = await newBot(stack);
  const group = await stack.client.createGroup({ title: "Sales team" });
  await connectBot(stack, owner, bot.token, group.id);
  return { owner, bot, chatId: group.id };
}

/** Submits a lead through the public endpoint; the answer must be 201. Returns the lead id. */
export async function submitLead(stack: DeliveryStack, owner: Owner, name: string): Promise<string> {
  const response = await call(stack, "POST", `/api/v1/public/leads/${owner.siteKey}`, {
    body: { name, phone: "+1 555 0100" },
  });
  if (response.status !== 201) throw new Error(`submit ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** `count` lead names of one batch, of equal width so none is a prefix of another. */
export function leadNames(label: string, count: number): string[] {
  const batch = randomUUID().slice(0, 6);
  return Array.from({ length: count }, (_, index) => `${label}-${batch}-${String(index + 1).padStart(3, "0")}`);
}

// ---------------------------------------------------------------------------------------------
// The server's database, read-only
// ---------------------------------------------------------------------------------------------

export type DeliveryRow = {
  id: string;
  leadId: string;
  leadName: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  partsSent: number;
  chatId: number | null;
};
export type AttemptRow = { outcome: string; errorCode: number | null; description: string | null; attemptedAt: number };

function query<T>(stack: DeliveryStack, sql: string, ...params: unknown[]): T[] {
  const database = new Database(stack.dbPath, { readonly: true, fileMustExist: true });
  try {
    database.pragma("busy_timeout = 5000");
    return database.prepare(sql).all(...params) as T[];
  } finally {
    database.close();
  }
}

/** The tenant's deliveries in queue order (the order leads were stored). */
export function deliveries(stack: DeliveryStack, tenantId: string): DeliveryRow[] {
  return query<DeliveryRow>(
    stack,
    `SELECT d."id", d."leadId", l."name" AS "leadName", d."status", d."attempts", d."lastError", d."partsSent", d."chatId"
       FROM "Delivery" d JOIN "Lead" l ON l."id" = d."leadId"
      WHERE d."tenantId" = ? ORDER BY d."createdAt", d."id"`,
    tenantId,
  );
}

export function deliveryOfLead(stack: DeliveryStack, leadId: string): DeliveryRow {
  const row = query<DeliveryRow>(
    stack,
    `SELECT d."id", d."leadId", l."name" AS "leadName", d."status", d."attempts", d."lastError", d."partsSent", d."chatId"
       FROM "Delivery" d JOIN "Lead" l ON l."id" = d."leadId" WHERE d."leadId" = ?`,
    leadId,
  )[0];
  if (!row) throw new Error(`no delivery for lead ${leadId}`);
  return row;
}

/** The attempt log of one delivery, oldest first; `attemptedAt` in epoch ms. */
export function attemptsOf(stack: DeliveryStack, deliveryId: string): AttemptRow[] {
  const rows = query<{
    outcome: string;
    errorCode: number | null;
    description: string | null;
    attemptedAt: number | string;
  }>(
    stack,
    `SELECT "outcome", "errorCode", "description", "attemptedAt" FROM "DeliveryAttempt" WHERE "deliveryId" = ? ORDER BY "attemptedAt", "id"`,
    deliveryId,
  );
  return rows.map((row) => ({
    ...row,
    attemptedAt: typeof row.attemptedAt === "number" ? row.attemptedAt : Date.parse(row.attemptedAt),
  }));
}

/** Every attempt of the tenant's deliveries that Telegram answered with 429. */
export function floodRefusals(stack: DeliveryStack, tenantId: string): number {
  const [row] = query<{ count: number }>(
    stack,
    `SELECT count(*) AS "count" FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId" WHERE d."tenantId" = ? AND a."errorCode" = 429`,
    tenantId,
  );
  return row?.count ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Waiting and looking at the chat
// ---------------------------------------------------------------------------------------------

export { sleep, waitFor };

/** Waits until the tenant has no delivery left in the queue (pending, sending or retrying). */
export function waitForQueueDrained(
  stack: DeliveryStack,
  tenantId: string,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<DeliveryRow[]> {
  return waitFor(
    `tenant ${tenantId}'s deliveries to finish`,
    () => {
      const rows = deliveries(stack, tenantId);
      return rows.every((row) => ["sent", "failed", "skipped"].includes(row.status)) ? rows : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}

/** How many of `messages` carry each name (a name must be in its lead's notification exactly once). */
export function countByName(messages: SentMessageRecord[], names: string[]): Record<string, number> {
  return Object.fromEntries(
    names.map((name) => [name, messages.filter((message) => message.text.includes(name)).length]),
  );
}

/** The names in the order their notifications reached the chat. */
export function namesInChatOrder(messages: SentMessageRecord[], names: string[]): string[] {
  return messages.flatMap((message) => names.filter((name) => message.text.includes(name)));
}

/** Gaps between consecutive `sent_at`s, in ms. */
export function gapsMs(messages: SentMessageRecord[]): number[] {
  return messages.slice(1).map((message, index) => message.sent_at - (messages[index]?.sent_at ?? 0));
}

/**
 * A private chat's messages went out at Telegram's 1 a second, measured where Telegram sees
 * them. A send that leaves a little late (a loaded machine: once 1128 ms then 896 ms)
 * shortens only the gap after it, so: no gap near zero, any two consecutive gaps at least
 * ~2 s, about 1 s on average. Returns the gaps. `expect` is the test's own (concurrent tests).
 */
export function expectPrivateChatPace(expect: ExpectStatic, messages: SentMessageRecord[]): number[] {
  const gaps = gapsMs(messages);
  const shown = `gaps: ${gaps.map(Math.round).join(", ")} ms`;
  expect(Math.min(...gaps), shown).toBeGreaterThanOrEqual(800);
  expect(Math.min(...gaps.slice(1).map((gap, index) => gap + (gaps[index] ?? 0))), shown).toBeGreaterThanOrEqual(1_900);
  expect(gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length, shown).toBeGreaterThanOrEqual(980);
  return gaps;
}
