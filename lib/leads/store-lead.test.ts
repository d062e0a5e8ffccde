import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EACH_DATABASE, loadAppAgainst, type TestDatabase } from "../../tests/support/each-database";

// A real database of each kind, migrated like the server's: the batching is only worth
// anything if every acknowledged lead is in it, with its delivery, after the commit.
const source = { clientIp: "203.0.113.7", userAgent: "test", refusedRedirect: null, idempotencyKey: null };

describe.each(EACH_DATABASE)("storeLead on $name", ({ start }) => {
  let database: TestDatabase;
  let m: {
    storeLead: typeof import("./store-lead").storeLead;
    leadFields: typeof import("./lead-fields").leadFields;
    db: import("@/lib/db/client").Db;
    /** A client of its own, for reading what was committed (not the connection under test). */
    reader: import("@/lib/db/client").Db;
  };
  let tenantId = "";

  beforeAll(async () => {
    database = await start();
    await loadAppAgainst(database.url);
    const { db, createDb } = await import("@/lib/db/client");
    m = {
      storeLead: (await import("./store-lead")).storeLead,
      leadFields: (await import("./lead-fields")).leadFields,
      db: db(),
      reader: createDb(database.url),
    };
    tenantId = (await m.db.tenant.create({ data: { name: "Shop", siteKey: "store-lead-test" } })).id;
  });

  afterAll(async () => {
    await m?.db.$disconnect();
    await m?.reader.$disconnect();
    await database?.stop();
  });

  it("commits concurrent submissions with their deliveries, in submission order", async () => {
    const ids = await Promise.all(
      Array.from({ length: 150 }, (_, n) =>
        m.storeLead(tenantId, { name: `Lead ${n}`, extra: { n: String(n) } }, source),
      ),
    );
    expect(new Set(ids).size).toBe(150);

    const leads = await m.reader.lead.findMany({
      where: { tenantId, name: { startsWith: "Lead " } },
      orderBy: { createdAt: "asc" },
    });
    expect(leads.map((lead) => lead.id)).toEqual(ids);
    expect(leads.map((lead) => lead.name)).toEqual(ids.map((_, n) => `Lead ${n}`));
    const deliveries = await m.reader.delivery.findMany({
      where: { leadId: { in: ids } },
      orderBy: { createdAt: "asc" },
      select: { leadId: true, status: true },
    });
    expect(deliveries).toEqual(ids.map((leadId) => ({ leadId, status: "pending" })));
  });

  it("fails only the lead that cannot be stored, not the others sharing its commit", async () => {
    const before = await m.reader.lead.count();
    const outcomes = await Promise.allSettled([
      m.storeLead(tenantId, { name: "First", extra: {} }, source),
      m.storeLead("no-such-tenant", { name: "Orphan", extra: {} }, source),
      m.storeLead(tenantId, { name: "Last", extra: {} }, source),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const stored = await m.reader.lead.findMany({
      where: { name: { in: ["First", "Orphan", "Last"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(stored.map((row) => row.name)).toEqual(["First", "Last"]);
    expect(await m.reader.lead.count()).toBe(before + 2);
  });

  it("stores every field and the source, with the lead's defaults and its delivery queued at its creation", async () => {
    const fields = {
      name: "Анна «Ё»",
      email: "anna@example.com",
      phone: "+7 900 000-00-00",
      company: "ООО 'Кавычки'; DROP TABLE",
      message: "строка 1\nстрока 2 \u{1F600}",
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "winter",
      utm_term: "crm",
      utm_content: "ad-1",
      page: "https://shop.example/contact?a=1&b=2",
      device: "mobile",
      referrer: "https://google.com/",
      extra: { size: "XL", "поле с пробелом": "да" },
    };
    const full = {
      clientIp: "2001:db8::1",
      userAgent: "Mozilla/5.0",
      refusedRedirect: "https://evil.example/",
      idempotencyKey: "key-1",
    };
    const before = new Date();
    const id = await m.storeLead(tenantId, fields, full);
    const after = new Date();

    const lead = await m.reader.lead.findUniqueOrThrow({ where: { id } });
    expect(m.leadFields(lead)).toEqual(fields);
    expect(lead).toMatchObject({ tenantId, ...full, state: "new", stateVersion: 0, takenAt: null });
    expect(lead.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    // Creation times never repeat, so after a burst they may run a little ahead of the clock.
    expect(lead.createdAt.getTime()).toBeLessThanOrEqual(after.getTime() + 1_000);

    const delivery = await m.reader.delivery.findFirstOrThrow({ where: { leadId: id } });
    expect(delivery).toMatchObject({ tenantId, status: "pending", attempts: 0, partsSent: 0, leaseUntil: null });
    for (const time of [delivery.createdAt, delivery.nextAttemptAt, delivery.queuedAt])
      expect(time).toEqual(lead.createdAt);
  });
});
