import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "./client";
import { migrateSqlite, readMigrations } from "./migrate";

// The client the server uses (createDb), on a real SQLite file migrated like the server's.
function migratedFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "leadgram-gate-")), "app.db");
  migrateSqlite(file, readMigrations("sqlite"));
  return file;
}

const siteKeys = (file: string) => {
  const sqlite = new Database(file, { readonly: true });
  try {
    return (sqlite.prepare(`SELECT "siteKey" FROM "Tenant" ORDER BY "siteKey"`).all() as { siteKey: string }[]).map(
      (row) => row.siteKey,
    );
  } finally {
    sqlite.close();
  }
};

const clients: Db[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.$disconnect();
});
function client(file: string): Db {
  const db = createDb(`file:${file}`);
  clients.push(db);
  return db;
}

describe("the SQLite connection's gate", () => {
  it("keeps a write made while another transaction is open out of that transaction's rollback", async () => {
    const file = migratedFile();
    const db = client(file);
    await db.tenant.create({ data: { name: "Before", siteKey: "outside" } });
    let outsideWrite: Promise<unknown> = Promise.resolve();

    await expect(
      db.$transaction(async (tx) => {
        await tx.tenant.create({ data: { name: "Inside", siteKey: "inside" } });
        // Another request's write (one statement, as a token revocation), sent while this
        // transaction is open (a Prisma query is sent once something waits for it).
        outsideWrite = Promise.resolve(
          db.tenant.updateMany({ where: { siteKey: "outside" }, data: { name: "Written outside" } }),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("this transaction rolls back");
      }),
    ).rejects.toThrow("this transaction rolls back");
    await outsideWrite;

    expect(siteKeys(file)).toEqual(["outside"]);
    expect((await db.tenant.findUniqueOrThrow({ where: { siteKey: "outside" } })).name).toBe("Written outside");
  });

  it("lets plain queries through in order, and a batch transaction after them", async () => {
    const file = migratedFile();
    const db = client(file);
    const writes = Array.from({ length: 20 }, (_, n) =>
      db.tenant.create({ data: { name: `Site ${n}`, siteKey: `key-${String(n).padStart(2, "0")}` } }),
    );
    const batch = db.$transaction([
      db.tenant.create({ data: { name: "Batch", siteKey: "key-batch" } }),
      db.tenant.count(),
    ]);
    await Promise.all(writes);
    expect((await batch)[1]).toBe(21);
  });

  it("rolls back a transaction whose COMMIT fails with SQLITE_BUSY: the error reaches the caller and the connection is free", async () => {
    const file = migratedFile();
    // In rollback-journal mode a reader's SHARED lock keeps a writer from committing.
    const setup = new Database(file);
    setup.pragma("journal_mode = DELETE");
    setup.close();
    const db = client(file);
    // Give up on the lock quickly; the server waits 5 s, which changes nothing but the test's length.
    await db.$executeRawUnsafe("PRAGMA busy_timeout = 100");

    const reader = new Database(file);
    reader.exec("BEGIN");
    reader.prepare(`SELECT COUNT(*) FROM "Tenant"`).get();
    await expect(
      db.$transaction(async (tx) => tx.tenant.create({ data: { name: "Lost", siteKey: "busy" } })),
    ).rejects.toThrow();
    reader.exec("ROLLBACK");

    // Not inside a transaction any more: a plain write is committed at once, visible to others...
    await db.tenant.create({ data: { name: "After", siteKey: "after" } });
    expect(siteKeys(file)).toEqual(["after"]);
    // ...another connection can write (no lock left behind)...
    expect(reader.prepare(`UPDATE "Tenant" SET "name" = 'Renamed' WHERE "siteKey" = 'after'`).run().changes).toBe(1);
    reader.close();
    // ...and the next transaction begins and commits.
    await db.$transaction(async (tx) => tx.tenant.create({ data: { name: "Next", siteKey: "next" } }));
    expect(siteKeys(file)).toEqual(["after", "next"]);
  });
});

describe("a transaction on the SQLite connection", () => {
  it("holds the write lock from its BEGIN, so a write after a read never meets another connection's newer commit", async () => {
    const file = migratedFile();
    const db = client(file);
    await db.tenant.create({ data: { name: "Shop", siteKey: "shop" } });
    // Another connection to the file, as the delivery thread's: it gives up at once when locked out.
    const other = new Database(file);
    other.pragma("busy_timeout = 0");
    let otherWrite: unknown = null;
    try {
      await db.$transaction(async (tx) => {
        const shop = await tx.tenant.findUniqueOrThrow({ where: { siteKey: "shop" } });
        try {
          other.prepare(`UPDATE "Tenant" SET "name" = 'Elsewhere' WHERE "siteKey" = 'shop'`).run();
        } catch (error) {
          otherWrite = error;
        }
        // A deferred BEGIN would fail here with SQLITE_BUSY_SNAPSHOT: its snapshot is older than the other commit.
        await tx.tenant.update({ where: { id: shop.id }, data: { name: "Renamed" } });
      });
    } finally {
      other.close();
    }
    expect((otherWrite as { code?: string } | null)?.code).toBe("SQLITE_BUSY");
    expect((await db.tenant.findUniqueOrThrow({ where: { siteKey: "shop" } })).name).toBe("Renamed");
  });
});
