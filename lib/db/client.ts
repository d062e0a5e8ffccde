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

/**
 * Prisma keeps compiled query plans in an LRU of this many single queries plus as many
 * `$transaction([...])` batches (default 1000 each). A batch's key is its shape, and the
 * group commit's batch (lib/leads/store-lead.ts: createMany of N leads and N deliveries)
 * changes shape with N and with which values repeat, so under sustained intake nearly
 * every batch is a new entry, up to 0.7 MB each: the default let the cache hold 100 MB
 * and more that is never read again (prisma/orm#29785; #29382 fixed it for a lone
 * createMany only). The app's hot queries are a few dozen shapes, which this still keeps.
 */
const QUERY_PLAN_CACHE_SIZE = 32;

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith("file:")) {
    // timeout = busy_timeout: wait for the writer instead of failing with SQLITE_BUSY.
    const adapter = new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl), timeout: 5000 });
    // One connection serves the whole client: the gate keeps its transactions to themselves.
    return new SqliteClient({ adapter: gatedSqliteAdapter(adapter), queryPlanCacheMaxSize: QUERY_PLAN_CACHE_SIZE });
  }
  const client = new PostgresClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    queryPlanCacheMaxSize: QUERY_PLAN_CACHE_SIZE,
  });
  return client as unknown as Db;
}

const globalForDb = globalThis as unknown as { leadgramDb?: Db };

/** One client per process (Next may evaluate this module in several bundles). */
export function db(): Db {
  globalForDb.leadgramDb ??= createDb(config().databaseUrl);
  return globalForDb.leadgramDb;
}
