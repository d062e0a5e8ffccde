import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitSqliteDatabase } from "../../../tests/support/unit-sqlite";

// A real SQLite file, migrated like the server's: the unique index, not a check before the
// insert, is what keeps simultaneous retries to one lead, so they are stored here without
// the route's look-up first (over HTTP, SQLite's single writer rarely lets them collide).
const database = unitSqliteDatabase("idempotent");

const { migrateDatabase } = await import("@/lib/db/migrate");
const { db } = await import("@/lib/db/client");
const { IDEMPOTENCY_WINDOW_MS, leadStoredUnder, storeLeadOnce } = await import("./idempotent-submission");

let tenantId = "";
const source = (idempotencyKey: string | null) => ({
  clientIp: "203.0.113.7",
  userAgent: "test",
  refusedRedirect: null,
  idempotencyKey,
});

beforeAll(async () => {
  await migrateDatabase(database.url);
  tenantId = (await db().tenant.create({ data: { name: "Shop", siteKey: "idempotent-test" } })).id;
});

afterAll(async () => {
  await db().$disconnect();
});

const rows = database.rows;

describe("storeLeadOnce", () => {
  it("stores one lead and one delivery for 20 simultaneous stores under one key, beside other leads", async () => {
    const key = randomUUID();
    const outcomes = await Promise.all([
      ...Array.from({ length: 20 }, (_, n) => storeLeadOnce(tenantId, { name: `Retry ${n}`, extra: {} }, source(key))),
      storeLeadOnce(tenantId, { name: "Unkeyed", extra: {} }, source(null)),
      storeLeadOnce(tenantId, { name: "Other key", extra: {} }, source(randomUUID())),
    ]);
    const retries = outcomes.slice(0, 20);
    expect(new Set(retries.map((outcome) => outcome.leadId)).size).toBe(1);
    expect(retries.filter((outcome) => outcome.isNew)).toHaveLength(1);
    expect(outcomes.slice(20).map((outcome) => outcome.isNew)).toEqual([true, true]);

    const stored = rows(`SELECT "id", "name" FROM "Lead" WHERE "idempotencyKey" = ?`, key);
    expect(stored).toEqual([{ id: retries[0]?.leadId, name: "Retry 0" }]);
    expect(rows(`SELECT "id" FROM "Delivery" WHERE "leadId" = ?`, retries[0]?.leadId)).toHaveLength(1);
    expect(rows(`SELECT "name" FROM "Lead" WHERE "name" IN ('Unkeyed', 'Other key')`)).toHaveLength(2);
  });

  it("frees a key whose lead is past the window for the next lead, once", async () => {
    const key = randomUUID();
    const old = await storeLeadOnce(tenantId, { name: "Old", extra: {} }, source(key));
    await db().lead.update({
      where: { id: old.leadId },
      data: { createdAt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS - 1_000) },
    });

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => storeLeadOnce(tenantId, { name: "New", extra: {} }, source(key))),
    );
    const fresh = outcomes.find((outcome) => outcome.isNew);
    expect(outcomes.filter((outcome) => outcome.isNew)).toHaveLength(1);
    expect(outcomes.every((outcome) => outcome.leadId === fresh?.leadId)).toBe(true);
    expect(fresh?.leadId).not.toBe(old.leadId);
    expect(await leadStoredUnder(tenantId, key)).toBe(fresh?.leadId);
    expect(rows(`SELECT "idempotencyKey" FROM "Lead" WHERE "id" = ?`, old.leadId)).toEqual([{ idempotencyKey: null }]);
  });
});
