import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * Applies prisma/migrations/<provider>/*.sql in name order, each once, at start-up.
 *
 * Why not `prisma migrate deploy`: it needs Prisma's native schema engine, which is
 * downloaded on first use and cannot be on air-gapped machines such as ours, and it
 * would make the Prisma CLI a run-time dependency. Plain SQL files per provider and this
 * small runner work anywhere; tests/api/schema-drift.test.ts proves the SQL matches the
 * Prisma schema on both databases.
 */

/** The SQLite file a `file:` DATABASE_URL names, relative to the server's working folder. */
export function sqliteFilePath(databaseUrl: string, root = process.cwd()): string {
  // The file is chosen at run time; tell the bundler not to trace the whole project for it.
  return path.resolve(/*turbopackIgnore: true*/ root, databaseUrl.slice("file:".length));
}

export type Migration = { name: string; sql: string; checksum: string };

const MIGRATIONS_TABLE = "_leadgram_migrations";

export function readMigrations(provider: "sqlite" | "postgresql", root = process.cwd()): Migration[] {
  const dir = path.join(/*turbopackIgnore: true*/ root, "prisma/migrations", provider);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), "utf8");
      return { name: file, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function assertUnchanged(applied: Map<string, string>, migrations: Migration[]): void {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum && checksum !== migration.checksum) {
      throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead`);
    }
  }
}

/** Opens the SQLite file with the settings every connection of ours relies on. */
export function openSqlite(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // SQLite would create the file with the process's umask, often readable by everyone; it
  // gives the -wal and -shm files it creates later the database file's own mode, so
  // creating the file 0600 here keeps all three private. An existing file is left as it is.
  closeSync(openSync(file, "a", 0o600));
  const sqlite = new Database(file, { timeout: 5000 });
  // WAL lets readers proceed during writes; it is a property of the file and persists.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  return sqlite;
}

export function migrateSqlite(file: string, migrations: Migration[]): string[] {
  const sqlite = openSqlite(file);
  try {
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const appliedNow: string[] = [];
    // IMMEDIATE takes the write lock first, so two servers starting together apply each file once.
    sqlite
      .transaction(() => {
        const rows = sqlite.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as {
          name: string;
          checksum: string;
        }[];
        const applied = new Map(rows.map((row) => [row.name, row.checksum]));
        assertUnchanged(applied, migrations);
        for (const migration of migrations.filter((m) => !applied.has(m.name))) {
          sqlite.exec(migration.sql);
          sqlite
            .prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`)
            .run(migration.name, migration.checksum, new Date().toISOString());
          appliedNow.push(migration.name);
        }
      })
      .immediate();
    return appliedNow;
  } finally {
    sqlite.close();
  }
}

// Any constant shared by every Leadgram server: the advisory lock serialises migrations.
const MIGRATION_LOCK_ID = 7_305_190_421;
/** PostgreSQL's SQLSTATE when lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * How long a migration waits for its table locks. An `ALTER TABLE` waiting for the
 * transactions that use its table makes every later query on the table wait behind it, so
 * instances that still run would stop taking leads for as long as one long transaction
 * lasts. Each attempt waits at most `lockTimeoutMs`, then gives way (rolled back: the file is
 * one transaction) and tries again after a pause, until `giveUpAfterMs` have passed.
 */
export type LockPatience = {
  lockTimeoutMs: number;
  giveUpAfterMs: number;
  /** Told each time an attempt gave way, so an operator sees why the start is slow. */
  onLockWait?: (wait: { migration: string; attempt: number; waitedMs: number }) => void;
};

const DEFAULT_PATIENCE: LockPatience = { lockTimeoutMs: 2_000, giveUpAfterMs: 5 * 60_000 };
const pauseAfter = (attempt: number) => Math.min(attempt * 1_000, 10_000);

async function applyPostgresMigration(client: pg.Client, migration: Migration, patience: LockPatience) {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    await client.query("BEGIN");
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.round(patience.lockTimeoutMs)}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES ($1, $2, now())`, [
        migration.name,
        migration.checksum,
      ]);
      await client.query("COMMIT");
      return;
    } catch (error) {
      await client.query("ROLLBACK");
      const waitedMs = Date.now() - started;
      const gaveWay = (error as { code?: string }).code === LOCK_NOT_AVAILABLE;
      if (!gaveWay || waitedMs + pauseAfter(attempt) > patience.giveUpAfterMs) {
        const why = gaveWay
          ? `its tables stayed locked by other transactions for ${Math.round(waitedMs / 1000)} s (${attempt} attempts)`
          : (error as Error).message;
        throw new Error(`Migration ${migration.name} failed: ${why}`);
      }
      patience.onLockWait?.({ migration: migration.name, attempt, waitedMs });
      await new Promise((resolve) => setTimeout(resolve, pauseAfter(attempt)));
    }
  }
}

export async function migratePostgres(
  connectionString: string,
  migrations: Migration[],
  patience: LockPatience = DEFAULT_PATIENCE,
): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`,
    );
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    assertUnchanged(applied, migrations);
    const appliedNow: string[] = [];
    for (const migration of migrations.filter((m) => !applied.has(m.name))) {
      await applyPostgresMigration(client, migration, patience);
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Brings the database at `databaseUrl` up to date; returns the migrations applied now.
 * `root`: the folder with prisma/migrations (default: the working folder).
 */
export async function migrateDatabase(
  databaseUrl: string,
  { root = process.cwd(), onLockWait }: { root?: string; onLockWait?: LockPatience["onLockWait"] } = {},
): Promise<string[]> {
  if (databaseUrl.startsWith("file:")) {
    return migrateSqlite(sqliteFilePath(databaseUrl, root), readMigrations("sqlite", root));
  }
  return migratePostgres(databaseUrl, readMigrations("postgresql", root), { ...DEFAULT_PATIENCE, onLockWait });
}
