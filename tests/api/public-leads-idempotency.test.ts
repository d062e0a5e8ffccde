import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { registerOwner, uniqueClientIp } from "../support/api-client";
import {
  BROWSER_ACCEPT,
  leadCount,
  leadRow,
  leadsOf,
  query,
  received,
  send,
  settledDelivery,
  sleep,
  submitJson,
  ownerWithBot,
} from "../support/public-leads";

// Idempotency-Key on POST /api/v1/public/leads/<site_key>: a retried submission stores
// and notifies one lead, and answers every attempt with it.

const keyed = (key: string, headers: Record<string, string> = {}) => ({ "idempotency-key": key, ...headers });

/** Moves the lead's creation `hours` into the past, as if it had been stored then. */
async function ageLead(leadId: string, hours: number): Promise<void> {
  const url = inject("databaseUrl");
  if (url.startsWith("file:")) {
    const sqlite = new Database(url.slice("file:".length));
    try {
      sqlite.pragma("busy_timeout = 5000");
      sqlite
        .prepare(`UPDATE "Lead" SET "createdAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "createdAt", ?) WHERE "id" = ?`)
        .run(`-${hours} hours`, leadId);
    } finally {
      sqlite.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`UPDATE "Lead" SET "createdAt" = "createdAt" - $1 * INTERVAL '1 hour' WHERE "id" = $2`, [
      hours,
      leadId,
    ]);
  } finally {
    await client.end();
  }
}

describe("Idempotency-Key", () => {
  it("answers a retry with the first 201 body, stores nothing new and notifies once", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const key = randomUUID();
    const first = await submitJson(owner.siteKey, { name: "Retried", phone: "+7 900" }, keyed(key));
    expect(first.status).toBe(201);
    expect(first.body).toEqual(received);
    await client.waitForMessages(bot.id, { chatId: chat.id });
    expect((await settledDelivery(first.body.id))?.status).toBe("sent");

    const again = await submitJson(owner.siteKey, { name: "Retried", phone: "+7 900" }, keyed(key));
    // Another body under the same key is still the same submission, as the contract says.
    const changed = await submitJson(owner.siteKey, { name: "Something else entirely" }, keyed(key));
    // Even one that would be refused on its own: the fields of a retry are not read.
    const invalid = await submitJson(owner.siteKey, { email: "not an email" }, keyed(key));
    for (const replay of [again, changed, invalid]) {
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
    }

    expect(await leadCount(owner.tenantId)).toBe(1);
    expect(await leadRow(first.body.id)).toMatchObject({ name: "Retried", idempotencyKey: key });
    expect(await query(`SELECT "id" FROM "Delivery" WHERE "tenantId" = ?`, [owner.tenantId])).toHaveLength(1);
    await sleep(1_500);
    expect(await client.messages(bot.id)).toHaveLength(1);
  });

  it("stores one lead for 20 simultaneous requests with one key, and answers them all with it", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) => submitJson(owner.siteKey, { name: `Parallel ${n}` }, keyed(key))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const ids = new Set(answers.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    const [row, ...others] = await leadsOf(owner.tenantId);
    expect(others).toEqual([]);
    expect(ids).toEqual(new Set([row?.id]));

    expect((await settledDelivery(String(row?.id)))?.status).toBe("sent");
    await client.waitForMessages(bot.id, { chatId: chat.id });
    await sleep(1_500);
    expect(await client.messages(bot.id)).toHaveLength(1);
  });

  it("stores a lead per key, and a key per site", async () => {
    const owner = await registerOwner();
    const other = await registerOwner();
    const key = randomUUID();
    const first = await submitJson(owner.siteKey, { name: "One" }, keyed(key));
    const second = await submitJson(owner.siteKey, { name: "Two" }, keyed(randomUUID()));
    const unkeyed = await submitJson(owner.siteKey, { name: "Three" });
    const elsewhere = await submitJson(other.siteKey, { name: "Other site" }, keyed(key));
    for (const answer of [first, second, unkeyed, elsewhere]) expect(answer.status).toBe(201);
    expect(new Set([first, second, unkeyed, elsewhere].map((answer) => answer.body.id)).size).toBe(4);
    expect((await leadsOf(owner.tenantId)).map((row) => [row.name, row.idempotencyKey])).toEqual([
      ["One", key],
      ["Two", expect.any(String)],
      ["Three", null],
    ]);
    expect((await leadsOf(other.tenantId)).map((row) => [row.name, row.idempotencyKey])).toEqual([["Other site", key]]);
  });

  it("no longer matches a lead stored more than 24 hours ago: the retry is a new lead and takes the key", async () => {
    const owner = await registerOwner();
    const key = randomUUID();
    const old = await submitJson(owner.siteKey, { name: "Yesterday" }, keyed(key));
    expect(old.status).toBe(201);
    await ageLead(old.body.id, 23);
    const within = await submitJson(owner.siteKey, { name: "Yesterday" }, keyed(key));
    expect(within.body).toEqual(old.body);

    await ageLead(old.body.id, 2);
    const fresh = await submitJson(owner.siteKey, { name: "Today" }, keyed(key));
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(old.body.id);
    const again = await submitJson(owner.siteKey, { name: "Today" }, keyed(key));
    expect(again.body).toEqual(fresh.body);

    expect((await leadsOf(owner.tenantId)).map((row) => [row.id, row.name, row.idempotencyKey])).toEqual([
      [old.body.id, "Yesterday", null],
      [fresh.body.id, "Today", key],
    ]);
  });

  it("takes up to 255 printable ASCII characters, and refuses other keys with 400 in JSON or as a page", async () => {
    const owner = await registerOwner();
    const longest = `"${"k".repeat(253)}"`;
    expect((await submitJson(owner.siteKey, { name: "Long key" }, keyed(longest))).status).toBe(201);

    for (const key of ["", "k".repeat(256), "caf\u00e9", "tab\there"]) {
      const refused = await submitJson(owner.siteKey, { name: "Bad key" }, keyed(key));
      expect(refused.status, JSON.stringify(key)).toBe(400);
      expect(refused.body).toEqual({
        detail: "Idempotency-Key must be 1 to 255 printable ASCII characters",
        code: "invalid_idempotency_key",
      });
    }

    const page = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Bad key" }),
      headers: keyed("k".repeat(256), { accept: BROWSER_ACCEPT, "accept-language": "en" }),
    });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("<h1>");
    expect((await leadsOf(owner.tenantId)).map((row) => row.name)).toEqual(["Long key"]);
  });

  it("is allowed by the CORS preflight, and a 429's Retry-After is readable by the page", async () => {
    const owner = await registerOwner();
    const origin = "https://shop.example";
    const preflight = await send(owner.siteKey, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = (preflight.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["content-type", "idempotency-key"]));

    const visitor = uniqueClientIp();
    for (let n = 0; n < 10; n += 1)
      await submitJson(owner.siteKey, { name: `Lead ${n}` }, { origin, "x-forwarded-for": visitor });
    const throttled = await submitJson(owner.siteKey, { name: "Too many" }, { origin, "x-forwarded-for": visitor });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("access-control-allow-origin")).toBe(origin);
    expect(throttled.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("spends the site's minute once per lead, however often it is retried", async () => {
    const owner = await registerOwner();
    const perSite = 600; // LEADS_PER_MINUTE_PER_SITE's default, which the test server runs with
    const key = randomUUID();
    const parallel = await Promise.all(
      Array.from({ length: 20 }, () => submitJson(owner.siteKey, { name: "Retried" }, keyed(key))),
    );
    expect(new Set(parallel.map((answer) => `${answer.status} ${answer.body.id}`)).size).toBe(1);
    for (let n = 0; n < 30; n += 1)
      expect((await submitJson(owner.siteKey, { name: "Retried" }, keyed(key))).status).toBe(201);

    // The retries spent one point: the site still takes perSite - 1 other leads.
    const statuses: number[] = [];
    for (let batch = 0; batch < perSite / 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) => submitJson(owner.siteKey, { name: `Lead ${batch}-${n}` })),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(perSite - 1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
  }, 120_000);
});
