import "server-only";
import { config } from "@/lib/config";
import { db } from "./client";

/**
 * How a SQLite connection syncs its commits (a per-connection setting; PostgreSQL keeps
 * its own durable default). "FULL" syncs the WAL on every commit, which the driver's
 * default (NORMAL) does not: after a power cut NORMAL may have lost the last commits.
 */
export async function setSqliteSync(level: "FULL" | "NORMAL"): Promise<void> {
  if (config().databaseProvider === "sqlite") await db().$executeRawUnsafe(`PRAGMA synchronous = ${level}`);
}
