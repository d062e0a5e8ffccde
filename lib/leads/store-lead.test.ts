import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitSqliteDatabase } from "../../tests/support/unit-sqlite";

// A real SQLite file, migrated like the server's: the batching is only worth anything if
// every acknowledged lead is in it, with its delivery, after the commit.
const database = unitSqliteDatabase("store-lead");

const { migrateDatabase } = await import("@/lib/db/migrate");
const { db } = await import("@/lib/db/client");
const { storeLead } = await import("./store-lead");

const source = { clientIp: "203.0.113.7", userAgent: "test", refusedRedirect: null, idempotencyKey: null };
let tenantId = "";

beforeAll(async () => {
  await migrateDatabase(database.url);
  tenantId = (await db().tenant.create({ data: { name: "Shop", siteKey: "store-lead-test" } })).id;
});

afterAll(async () => {
  await db().$disconnect();
});

const rows = database.rows;

describe("storeLead", () => {
  it("commits concurrent submissions with their deliveries, in submission order", async () => {
    const ids = await Promise.all(
      Array.from({ length: 150 }, (_, n) =>
        storeLead(tenantId, { name: `Lead ${n}`, extra: { n: String(n) } }, source),
      ),
    );
    expect(new Set(ids).size).toBe(150);

    const leads = rows(`SELECT "id", "name" FROM "Lead" WHERE "tenantId" = ? ORDER BY "createdAt"`, tenantId);
    expect(leads.map((lead) => lead.id)).toEqual(ids);
    expect(leads.map((lead) => lead.name)).toEqual(ids.map((_, n) => `Lead ${n}`));
    const deliveries = rows(
      `SELECT "leadId", "status" FROM "Delivery" WHERE "tenantId" = ? ORDER BY "createdAt"`,
      tenantId,
    );
    expect(deliveries).toEqual(ids.map((leadId) => ({ leadId, status: "pending" })));
  });

  it("fails only the lead that cannot be stored, not the others sharing its commit", async () => {
    const before = rows(`SELECT COUNT(*) AS n FROM "Lead"`)[0]?.n;
    const outcomes = await Promise.allSettled([
      storeLead(tenantId, { name: "First", extra: {} }, source),
      storeLead("no-such-tenant", { name: "Orphan", extra: {} }, source),
      storeLead(tenantId, { name: "Last", extra: {} }, source),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = rows(`SELECT "name" FROM "Lead" WHERE "name" IN ('First', 'Orphan', 'Last') ORDER BY "createdAt"`);
    expect(stored.map((row) => row.name)).toEqual(["First", "Last"]);
    expect(rows(`SELECT COUNT(*) AS n FROM "Lead"`)[0]?.n).toBe(Number(before) + 2);
  });
});
