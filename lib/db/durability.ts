import "server-only";
import { config } from "@/lib/config";
import { db } from "./client";

/**
 * A 201 promises the lead is on disk: on SQLite, FULL syncs the WAL on every commit, which
 * the driver's default (NORMAL) does not, so a power cut could lose acknowledged leads.
 * A per-connection setting: every thread with its own connection applies it.
 */
export async function enableDurableCommits(): Promise<void> {
  if (config().databaseProvider === "sqlite") await db().$executeRawUnsafe("PRAGMA synchronous = FULL");
}
