import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

/**
 * Migration 0010 makes the leads stored before it new, taken by nobody, with no history,
 * on a database of its own (a schema of its own on PostgreSQL) migrated up to it first.
 */

const STATES_MIGRATION = "0010_lead_states.sql";

function migrations(database: "sqlite" | "postgresql") {
  const dir = path.resolve(import.meta.dirname, "../../prisma/migrations", database);
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort();
  const sql = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return { before: names.filter((name) => name < STATES_MIGRATION).map(sql), states: sql(STATES_MIGRATION) };
}

const LEAD_IDS = ["lead-1", "lead-2"];
const INSERT_TENANT = `INSERT INTO "Tenant" ("id", "name", "siteKey", "updatedAt") VALUES ('t', 'Old site', 'old-site', CURRENT_TIMESTAMP)`;
const INSERT_LEAD = `INSERT INTO "Lead" ("id", "tenantId", "name") VALUES ($1, 't', 'Old lead')`;
const SELECT_LEADS = `SELECT "id", "state", "stateVersion", "takenByUserId", "takenByName", "takenAt" FROM "Lead" ORDER BY "id"`;
const COUNT_HISTORY = `SELECT COUNT(*) AS "n" FROM "LeadStateChange"`;

function migrateSqlite() {
  const { before, states } = migrations("sqlite");
  const sqlite = new Database(":memory:");
  try {
    for (const sql of before) sqlite.exec(sql);
    sqlite.exec(INSERT_TENANT);
    for (const id of LEAD_IDS) sqlite.prepare(INSERT_LEAD.replace("$1", "?")).run(id);
    sqlite.exec(states);
    const history = sqlite.prepare(COUNT_HISTORY).get() as { n: number };
    return { leads: sqlite.prepare(SELECT_LEADS).all(), history: Number(history.n) };
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string) {
  const { before, states } = migrations("postgresql");
  const schema = `m0010_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    for (const sql of before) await client.query(sql);
    await client.query(INSERT_TENANT);
    for (const id of LEAD_IDS) await client.query(INSERT_LEAD, [id]);
    await client.query(states);
    const history = (await client.query<{ n: string }>(COUNT_HISTORY)).rows[0];
    return { leads: (await client.query(SELECT_LEADS)).rows, history: Number(history?.n) };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await client.end();
  }
}

describe("migration 0010", () => {
  it("makes the leads stored before it new, taken by nobody, with no history", async () => {
    const database = inject("database");
    const result = database === "sqlite" ? migrateSqlite() : await migratePostgres(inject("databaseUrl"));
    expect(result).toEqual({
      leads: LEAD_IDS.map((id) => ({
        id,
        state: "new",
        stateVersion: 0,
        takenByUserId: null,
        takenByName: null,
        takenAt: null,
      })),
      history: 0,
    });
  });
});
