import "server-only";
import { db, type Db } from "@/lib/db/client";
import { log } from "@/lib/log";

/**
 * Telegram gives up on an update it could not deliver after 24 hours, so an update_id
 * recorded earlier than that can never come back. Twice that, and the clocks of Telegram
 * and of this server need not agree to the hour.
 */
export const UPDATE_ID_RETENTION_MS = 48 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** Rows per statement: a long backlog is deleted in short writes that others can pass between. */
const PRUNE_BATCH = 1_000;

/** Deletes the update_ids recorded before `now` minus the retention; returns how many. */
export async function pruneUpdateIds(database: Db, now: Date): Promise<number> {
  const recordedBefore = new Date(now.getTime() - UPDATE_ID_RETENTION_MS);
  let pruned = 0;
  for (;;) {
    const deleted =
      await database.$executeRaw`DELETE FROM "TelegramUpdate" WHERE ("integrationId", "updateId") IN (SELECT "integrationId", "updateId" FROM "TelegramUpdate" WHERE "receivedAt" < ${recordedBefore} LIMIT ${PRUNE_BATCH})`;
    pruned += deleted;
    if (deleted < PRUNE_BATCH) return pruned;
  }
}

/**
 * Keeps the de-duplication table bounded (by the update rate cap times the retention) at
 * the cost of one indexed delete every few minutes, never one per update.
 */
export function startPruningUpdateIds(): void {
  const prune = () =>
    pruneUpdateIds(db(), new Date()).then(
      (pruned) => pruned > 0 && log.info({ pruned }, "forgot old Telegram update ids"),
      (error: unknown) => log.warn({ err: error }, "could not forget old Telegram update ids"),
    );
  void prune();
  setInterval(prune, PRUNE_EVERY_MS).unref();
}
