import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

/**
 * Migration 0008 gives the deliveries and attempts stored before it their reason codes, on
 * a database of its own (a schema of its own on PostgreSQL) migrated up to 0007 first.
 */

const REASON_MIGRATION = "0008_delivery_reason_code.sql";

/** [Telegram's error code, the stored description, the code 0008 must give it] */
const OLD_ATTEMPTS: [number | null, string, string][] = [
  [null, "No active Telegram integration", "no_integration"],
  [null, "No chat configured for notifications", "no_chat"],
  [null, "Telegram API unavailable", "telegram_unavailable"],
  [null, "Gave up after 24 hours: Internal Server Error", "gave_up"],
  [403, "Forbidden: bot was blocked by the user", "bot_blocked"],
  [403, "Forbidden: bot was kicked from the supergroup chat", "kicked"],
  [403, "Forbidden: user is deactivated", "user_deactivated"],
  [400, "Bad Request: chat not found", "chat_not_found"],
  [401, "Unauthorized", "token_revoked"],
  [429, "Too Many Requests: retry after 3", "rate_limited"],
  [500, "Internal Server Error", "telegram_unavailable"],
  [400, "Bad Request: message is too long", "telegram_error"],
];

function migrations(database: "sqlite" | "postgresql") {
  const dir = path.resolve(import.meta.dirname, "../../prisma/migrations", database);
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort();
  const sql = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return { before: names.filter((name) => name < REASON_MIGRATION).map(sql), reasonCodes: sql(REASON_MIGRATION) };
}

const rowsBefore = OLD_ATTEMPTS.map(([errorCode, description], index) => ({
  id: `d${String(index).padStart(2, "0")}`,
  errorCode,
  description,
}));

type Codes = { id: string; delivery: string | null; attempt: string | null }[];
const SELECT_CODES = `SELECT d."id", d."reasonCode" AS "delivery", a."reasonCode" AS "attempt"
  FROM "Delivery" d JOIN "DeliveryAttempt" a ON a."deliveryId" = d."id" ORDER BY d."id"`;

function migrateSqlite(): Codes {
  const { before, reasonCodes } = migrations("sqlite");
  const sqlite = new Database(":memory:");
  try {
    for (const sql of before) sqlite.exec(sql);
    sqlite.pragma("foreign_keys = OFF"); // deliveries without their leads and sites: only the codes matter here
    for (const row of rowsBefore) {
      sqlite
        .prepare(
          `INSERT INTO "Delivery" ("id", "tenantId", "leadId", "status", "lastError", "updatedAt") VALUES (?, 't', 'l', 'failed', ?, 0)`,
        )
        .run(row.id, row.description);
      sqlite
        .prepare(
          `INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "outcome", "errorCode", "description") VALUES (?, ?, 'failed', ?, ?)`,
        )
        .run(`a-${row.id}`, row.id, row.errorCode, row.description);
    }
    sqlite.exec(reasonCodes);
    return sqlite.prepare(SELECT_CODES).all() as Codes;
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string): Promise<Codes> {
  const { before, reasonCodes } = migrations("postgresql");
  const schema = `m0008_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    for (const sql of before) await client.query(sql);
    await client.query("SET session_replication_role = replica"); // no foreign key checks, as above
    for (const row of rowsBefore) {
      await client.query(
        `INSERT INTO "Delivery" ("id", "tenantId", "leadId", "status", "lastError", "updatedAt") VALUES ($1, 't', 'l', 'failed', $2, now())`,
        [row.id, row.description],
      );
      await client.query(
        `INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "outcome", "errorCode", "description") VALUES ($1, $2, 'failed', $3, $4)`,
        [`a-${row.id}`, row.id, row.errorCode, row.description],
      );
    }
    await client.query(reasonCodes);
    return (await client.query<Codes[number]>(SELECT_CODES)).rows;
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end();
  }
}

describe("migration 0008", () => {
  it("gives deliveries and attempts stored before it their reason codes", async () => {
    const database = inject("database");
    const codes = database === "sqlite" ? migrateSqlite() : await migratePostgres(inject("databaseUrl"));
    expect(codes).toEqual(
      rowsBefore.map((row, index) => ({
        id: row.id,
        delivery: OLD_ATTEMPTS[index]?.[2],
        attempt: OLD_ATTEMPTS[index]?.[2],
      })),
    );
  });
});
