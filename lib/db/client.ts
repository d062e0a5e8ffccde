import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "@/lib/config";
import { gatedSqliteAdapter } from "./gated-sqlite-adapter";
import { sqliteFilePath } from "./migrate";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";

/**
 * Both generated clients come from the same models (scripts/prisma-generate.mjs), so they
 * have the same API; the SQLite one's type stands for both.
 */
export type Db = SqliteClient;

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith("file:")) {
    // timeout = busy_timeout: wait for the writer instead of failing with SQLITE_BUSY.
    const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl), timeout: 5000 });
    // One connection serves the whole client: the gate keeps its transactions to themselves.
    return new SqliteClient({ adapter: gatedSqliteAdapter(adapter) });
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
  return client as unknown as Db;
}

const globalForDb = globalThis as unknown as { leadgramDb?: Db };

/** One client per process (Next may evaluate this module in several bundles). */
export function db(): Db {
  globalForDb.leadgramDb ??= createDb(config().databaseUrl);
  return globalForDb.leadgramDb;
}
