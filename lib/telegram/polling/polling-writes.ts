import "server-only";
import { db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/database-clock";
import type { PollingErrorDto } from "@/lib/schemas/telegram";
import type { Tx } from "../webhook/receive-update";

/**
 * Every write of a TelegramPolling row by the pollers: the lease that lets one server at a
 * time poll a bot, the offset, and the stop with its reason. Times come from the database's
 * clock (lib/db/database-clock.ts), as the delivery leases' do: servers compare them.
 *
 *   no row | released | lease ran out ──claim──▶ held by one server ──▶ released | stopped (errorCode)
 *   stopped ──the owner changes the integration (clearPollingError)──▶ released
 */

/** Until when a poller's claim holds; renewed every third of it, taken over after a crash. */
export const POLLING_LEASE_MS = 30_000;

/** Why polling stopped, as the integration API reports it (`polling_error.code`). */
type PollingStopCode = PollingErrorDto["code"];

/** The lease was taken over (or the row dropped with its bot): this poller must stop. */
export class PollingLeaseLost extends Error {
  constructor(integrationId: string) {
    super(`polling lease of integration ${integrationId} lost`);
    this.name = "PollingLeaseLost";
  }
}

/**
 * Integrations that want a poller and that no live lease covers: active, no webhook, not
 * stopped. A server starts a poller for each; its claim settles which server gets it.
 */
export async function integrationsToPoll(limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT i."id" FROM "TelegramIntegration" i
    LEFT JOIN "TelegramPolling" p ON p."integrationId" = i."id"
    WHERE i."isActive" AND NOT i."isWebhookActive"
      AND (p."integrationId" IS NULL
        OR (p."errorCode" IS NULL AND (p."holder" IS NULL OR p."leaseUntil" < ${databaseNow()})))
    LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

/**
 * Takes the bot's lease for `holder` unless another server holds a live one or polling was
 * stopped; returns the offset to poll from, or null. The row is created on the first claim.
 */
export async function claimPolling(integrationId: string, holder: string): Promise<bigint | null> {
  const now = databaseNow();
  const rows = await db().$queryRaw<{ nextOffset: bigint | number }[]>`
    INSERT INTO "TelegramPolling" ("integrationId", "nextOffset", "holder", "leaseUntil")
    VALUES (${integrationId}, 0, ${holder}, ${databaseNow(POLLING_LEASE_MS)})
    ON CONFLICT ("integrationId") DO UPDATE SET "holder" = excluded."holder", "leaseUntil" = excluded."leaseUntil"
    WHERE "TelegramPolling"."errorCode" IS NULL
      AND ("TelegramPolling"."holder" IS NULL OR "TelegramPolling"."holder" = excluded."holder" OR "TelegramPolling"."leaseUntil" < ${now})
    RETURNING "nextOffset"`;
  const row = rows[0];
  return row ? BigInt(row.nextOffset) : null;
}

/** Renews every lease `holder` has in one statement; returns the integrations still held. */
export async function renewPollingLeases(holder: string): Promise<Set<string>> {
  const rows = await db().$queryRaw<{ integrationId: string }[]>`
    UPDATE "TelegramPolling" SET "leaseUntil" = ${databaseNow(POLLING_LEASE_MS)}
    WHERE "holder" = ${holder}
    RETURNING "integrationId"`;
  return new Set(rows.map((row) => row.integrationId));
}

/**
 * Moves the offset past an update, in the transaction that commits the update's effects
 * (or alone, for an update that is skipped), and renews the lease. Throws PollingLeaseLost,
 * rolling the transaction back, when the lease is no longer ours: the holder that took it
 * over gets the update from Telegram again.
 */
export async function advanceOffset(
  client: Tx | ReturnType<typeof db>,
  integrationId: string,
  holder: string,
  nextOffset: bigint,
): Promise<void> {
  const updated = await client.$executeRaw`
    UPDATE "TelegramPolling" SET "nextOffset" = ${nextOffset}, "leaseUntil" = ${databaseNow(POLLING_LEASE_MS)}
    WHERE "integrationId" = ${integrationId} AND "holder" = ${holder}`;
  if (updated !== 1) throw new PollingLeaseLost(integrationId);
}

/** Gives the lease up (the poller stopped): another server, or this one later, may claim it at once. */
export async function releasePolling(integrationId: string, holder: string): Promise<void> {
  await db().$executeRaw`
    UPDATE "TelegramPolling" SET "holder" = NULL, "leaseUntil" = NULL
    WHERE "integrationId" = ${integrationId} AND "holder" = ${holder}`;
}

/** Ends every lease (SQLite at start-up: only one process uses the file, and it just started). */
export async function releaseAllPollingLeases(): Promise<void> {
  await db().$executeRaw`UPDATE "TelegramPolling" SET "holder" = NULL, "leaseUntil" = NULL WHERE "holder" IS NOT NULL`;
}

/** Stops polling the bot until the owner changes the integration, saying why; nothing if the lease is not ours. */
export async function stopPollingFor(
  integrationId: string,
  holder: string,
  code: PollingStopCode,
  message: string,
): Promise<void> {
  await db().$executeRaw`
    UPDATE "TelegramPolling" SET "holder" = NULL, "leaseUntil" = NULL, "errorCode" = ${code}, "errorMessage" = ${message}
    WHERE "integrationId" = ${integrationId} AND "holder" = ${holder}`;
}

/** The owner changed the integration (settings, token, webhook): a stopped bot is polled again. */
export async function clearPollingStop(client: Tx | ReturnType<typeof db>, integrationId: string): Promise<void> {
  await client.telegramPolling.updateMany({
    where: { integrationId, errorCode: { not: null } },
    data: { errorCode: null, errorMessage: null },
  });
}

/** Another bot took the integration over: the offset was the old bot's. */
export async function forgetPolling(tx: Tx, integrationId: string): Promise<void> {
  await tx.telegramPolling.deleteMany({ where: { integrationId } });
}
