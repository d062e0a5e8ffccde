import "server-only";
import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { ApiError } from "./api-error";

export type LimiterOptions = {
  /** Names the budget; keys of different limiters never meet. */
  keyPrefix: string;
  points: number;
  /** Seconds a budget lasts from its first point. */
  duration: number;
  /** Seconds a key stays refused once it goes over its budget. */
  blockDuration?: number;
};

/** Created by migration 0014 (PostgreSQL only); every limiter shares it, its keys prefixed. */
const THROTTLE_TABLE = "_leadgram_throttle";
/** A throttle must not hold up a request for long: past this the process counts on its own. */
const THROTTLE_TIMEOUT_MS = 2_000;

type SharedStore = { query: (query: pg.QueryConfig) => Promise<pg.QueryResult> };

/**
 * A few connections of their own, apart from Prisma's: a throttle call is one short
 * statement, and it must never wait behind (or inside) a transaction holding Prisma's pool.
 * Failures are logged once per outage, not once per request.
 */
function createSharedStore(databaseUrl: string): SharedStore {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    connectionTimeoutMillis: THROTTLE_TIMEOUT_MS,
    query_timeout: THROTTLE_TIMEOUT_MS,
    application_name: "leadgram-throttles",
  });
  // An idle connection that breaks must not take the process down; the next query reconnects.
  pool.on("error", (error) => log.warn({ err: error }, "a throttle connection to PostgreSQL broke"));
  let unreachable = false;
  return {
    async query(query) {
      try {
        const result = await pool.query(query);
        if (unreachable) log.info("shared throttles are reachable again");
        unreachable = false;
        return result;
      } catch (error) {
        if (!unreachable) log.warn({ err: error }, "shared throttles unreachable: each server throttles on its own");
        unreachable = true;
        throw error;
      }
    },
  };
}

// Next may evaluate this module in several bundles: one pool, and one sweep, per process.
const globalForThrottles = globalThis as unknown as { leadgramThrottleStore?: SharedStore; leadgramSweeping?: true };

/**
 * A throttle. On PostgreSQL its counters are rows every server on the database shares, each
 * consume one atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so parallel
 * requests through any servers never pass a budget together. Should the database not answer,
 * the same budget is kept in this process's memory instead (rate-limiter-flexible's
 * insurance limiter): a lead is never turned away because its throttle cannot be reached.
 * On SQLite one server owns the database, so memory is already shared by every request.
 */
export function makeLimiter(options: LimiterOptions): RateLimiterAbstract {
  const inMemory = new RateLimiterMemory(options);
  const settings = config();
  if (settings.databaseProvider === "sqlite") return inMemory;
  const sweeps = !globalForThrottles.leadgramSweeping;
  globalForThrottles.leadgramSweeping = true;
  return new RateLimiterPostgres({
    ...options,
    storeClient: (globalForThrottles.leadgramThrottleStore ??= createSharedStore(settings.databaseUrl)),
    storeType: "pool",
    tableName: THROTTLE_TABLE,
    tableCreated: true,
    // Every 5 minutes, rows expired over an hour ago are deleted: the table holds about an
    // hour of keys. The table is shared, so one limiter per process sweeps it.
    clearExpiredByTimeout: sweeps,
    insuranceLimiter: inMemory,
  });
}

/** Takes a point for `key`; past the budget, throws 429 with the seconds until the next one. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw ApiError.tooManyRequests(error.msBeforeNext / 1000);
    throw error;
  }
}
