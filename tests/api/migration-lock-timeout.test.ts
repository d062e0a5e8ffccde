import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { migratePostgres, type Migration } from "@/lib/db/migrate";

/**
 * An upgrade's migration must not stall the instances that still run: while another
 * transaction uses its table, an ALTER TABLE that waited for it would hold every later query
 * on the table behind it. Each case runs in a schema of its own (migratePostgres connects
 * with it as its search_path), so the shared test database's tables are not touched.
 */
describe.runIf(inject("database") === "postgresql")("a PostgreSQL migration waiting for a lock", () => {
  const url = inject("databaseUrl");
  const schema = `lock_${randomUUID().replaceAll("-", "")}`;
  const inSchema = `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const sql = 'ALTER TABLE "Things" ADD COLUMN "colour" TEXT';
  const migration: Migration = {
    name: "0001_colour.sql",
    sql,
    checksum: createHash("sha256").update(sql).digest("hex"),
  };
  let holder: pg.Client;
  let reader: pg.Client;

  const connect = async (connectionString: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    return client;
  };

  beforeEach(async () => {
    holder = await connect(inSchema);
    reader = await connect(inSchema);
    await holder.query(`CREATE SCHEMA "${schema}"`);
    await holder.query('CREATE TABLE "Things" ("id" INTEGER PRIMARY KEY)');
    await holder.query('INSERT INTO "Things" VALUES (1), (2)');
    // A transaction that read the table and has not ended: a report, a slow request.
    await holder.query("BEGIN");
    await holder.query('SELECT count(*) FROM "Things"');
  });

  afterEach(async () => {
    await holder.query("ROLLBACK").catch(() => undefined);
    await holder.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all([holder.end(), reader.end()]);
  });

  it("gives way to other transactions meanwhile, and is applied once they end", async () => {
    const waits: number[] = [];
    const migrating = migratePostgres(inSchema, [migration], {
      lockTimeoutMs: 300,
      giveUpAfterMs: 30_000,
      onLockWait: ({ attempt }) => waits.push(attempt),
    });
    // Queries on the table keep being answered while the migration waits: none stays
    // queued behind it for longer than one attempt's lock timeout.
    await reader.query("SET statement_timeout = 1500");
    const deadline = Date.now() + 2_500;
    let reads = 0;
    while (Date.now() < deadline) {
      const { rows } = await reader.query<{ count: string }>('SELECT count(*) FROM "Things"');
      expect(rows[0]?.count).toBe("2");
      reads += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(reads).toBeGreaterThan(5);
    expect(waits.length).toBeGreaterThanOrEqual(1);

    await holder.query("COMMIT");
    await expect(migrating).resolves.toEqual([migration.name]);
    const columns = await reader.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'Things' ORDER BY column_name",
      [schema],
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(["colour", "id"]);
    const recorded = await reader.query<{ name: string }>('SELECT name FROM "_leadgram_migrations"');
    expect(recorded.rows).toEqual([{ name: migration.name }]);
  });

  it("fails with the reason once the table stays locked past its patience, and applies nothing", async () => {
    await expect(migratePostgres(inSchema, [migration], { lockTimeoutMs: 200, giveUpAfterMs: 1_500 })).rejects.toThrow(
      /^Migration 0001_colour\.sql failed: its tables stayed locked by other transactions for \d+ s \(\d+ attempts\)$/,
    );
    const columns = await reader.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'Things'",
      [schema],
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(["id"]);
    const recorded = await reader.query('SELECT name FROM "_leadgram_migrations"');
    expect(recorded.rows).toEqual([]);
  });

  it("fails at once on an error that is not a lock wait", async () => {
    const broken: Migration = {
      ...migration,
      name: "0002_broken.sql",
      sql: 'ALTER TABLE "Nothing" ADD COLUMN "x" TEXT',
    };
    const started = Date.now();
    await expect(migratePostgres(inSchema, [broken], { lockTimeoutMs: 200, giveUpAfterMs: 30_000 })).rejects.toThrow(
      'Migration 0002_broken.sql failed: relation "Nothing" does not exist',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
