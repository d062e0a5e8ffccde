import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/database-clock";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import { REQUEST_TIMEOUT_SECONDS } from "@/lib/telegram/bot-api";

/**
 * Delivery lanes: a tenant's notifications go out in order, one at a time, from one lane,
 * and a lane is served by one process at a time. On PostgreSQL, where any number of servers
 * share the outbox, a process serves a lane only while it holds the lane's lease, a row of
 * "_leadgram_delivery_lane" (migration 0016):
 *
 *   free | lease ran out ──take (fencingToken + 1)──▶ held ──renew every 5 s──▶ held
 *   held ──the lane has no work left, or a shutdown──▶ free
 *
 * Every claim and progress write of the lane's deliveries and edits also names the token it
 * was taken with (`laneFence`): a holder that stalled past its lease (paused, partitioned)
 * and was taken over cannot claim, record or hand back anything after the takeover.
 * Times are the database's clock's, as for every lease here.
 *
 * On SQLite one server uses the file and its dispatcher already runs one lane per tenant:
 * the lease is that lane itself, in memory, and costs no query.
 */

/** How long a lane stays ours without a renewal; a crashed holder's lanes are taken over after it. */
export const LANE_LEASE_MS = 30_000;
const RENEW_EVERY_MS = 5_000;
/**
 * The holder stops trusting its lease this long before it would run out by its own clock
 * (counted from the renewal's request): a renewal that is late or a process that was paused
 * stops sending before another can take the lane.
 */
const SAFETY_MARGIN_MS = 3_000;
/**
 * The longest a send may take from its start to its record: the Bot API call's timeout and
 * the write after it. A lane starts a send only while this much of its lease is left, so no
 * send is still in flight when another process may take the lane and send the same
 * notification again (a slow, starved process would otherwise repeat it). The lease is long
 * enough for this to leave room for two late renewals.
 */
const SEND_BUDGET_MS = REQUEST_TIMEOUT_SECONDS * 1000 + 2_000;

const TABLE = Prisma.raw(`"_leadgram_delivery_lane"`);

/** This process, as the lane rows name their holder (for a person looking at them). */
const HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** What a lane's writes are fenced by: the tenant and the token its lease was taken with. */
export type LaneFence = { tenantId: string; token: bigint };

export type LaneLease = LaneFence & {
  /**
   * Other servers may queue the lane's work meanwhile, and cannot wake it (their wake finds
   * it held): before it ends, the lane looks once more.
   */
  readonly shared: boolean;
  /**
   * False once a send started now might not end before the lease could run out, or once
   * the lane was taken over: the lane starts nothing more.
   */
  held(): boolean;
  /** Gives the lane up: another process may take it at once. */
  release(): Promise<void>;
};

const sharedLanes = () => config().databaseProvider === "postgresql";

/**
 * SQL that is true until another process takes the lane after `fence`'s token, for the
 * WHERE of a claim or a write of the lane's deliveries and edits. Always true on SQLite.
 */
export function laneFence(fence: LaneFence): Prisma.Sql {
  if (!sharedLanes()) return Prisma.sql`TRUE`;
  return Prisma.sql`EXISTS (SELECT 1 FROM ${TABLE} WHERE "tenantId" = ${fence.tenantId} AND "fencingToken" = CAST(${fence.token} AS BIGINT))`;
}

/**
 * SQL that is true unless a live lease holds the lane of the row's tenant (`tenantColumn` is
 * the row's qualified tenant column): the poll wakes only lanes that may be taken. A lane
 * that is held is running, and looks for more work before it ends.
 */
export function laneIsFree(tenantColumn: string): Prisma.Sql {
  if (!sharedLanes()) return Prisma.sql`TRUE`;
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM ${TABLE} l WHERE l."tenantId" = ${Prisma.raw(tenantColumn)}
    AND l."leaseUntil" >= ${databaseNow()})`;
}

/** Whether a delivery or an edit left "sending" may be claimed again regardless of its own lease. */
export function abandonedClaimsAreFenced(): boolean {
  return sharedLanes();
}

/** Takes the tenant's lane, or null when another process holds it. */
export async function takeLane(tenantId: string): Promise<LaneLease | null> {
  if (!sharedLanes()) return { tenantId, token: 0n, shared: false, held: () => true, release: async () => {} };
  const requestedAt = performance.now();
  const rows = await db().$queryRaw<{ fencingToken: bigint | number }[]>`
    INSERT INTO ${TABLE} ("tenantId", "holder", "leaseUntil", "fencingToken")
    VALUES (${tenantId}, ${HOLDER}, ${databaseNow(LANE_LEASE_MS)}, 1)
    ON CONFLICT ("tenantId") DO UPDATE SET "holder" = excluded."holder", "leaseUntil" = excluded."leaseUntil",
      "fencingToken" = ${TABLE}."fencingToken" + 1
    WHERE ${TABLE}."leaseUntil" IS NULL OR ${TABLE}."leaseUntil" < ${databaseNow()}
    RETURNING "fencingToken"`;
  const row = rows[0];
  if (!row) return null;
  return new SharedLaneLease(tenantId, BigInt(row.fencingToken), requestedAt);
}

class SharedLaneLease implements LaneLease {
  readonly shared = true;
  private trustedUntil: number;
  private lost = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly tenantId: string,
    readonly token: bigint,
    requestedAt: number,
  ) {
    this.trustedUntil = requestedAt + LANE_LEASE_MS - SAFETY_MARGIN_MS;
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
  }

  held(): boolean {
    return !this.lost && performance.now() + SEND_BUDGET_MS < this.trustedUntil;
  }

  private async renew(): Promise<void> {
    const requestedAt = performance.now();
    try {
      const renewed = await db().$executeRaw`
        UPDATE ${TABLE} SET "leaseUntil" = ${databaseNow(LANE_LEASE_MS)}
        WHERE "tenantId" = ${this.tenantId} AND "fencingToken" = CAST(${this.token} AS BIGINT) AND "leaseUntil" IS NOT NULL`;
      if (renewed === 1) this.trustedUntil = requestedAt + LANE_LEASE_MS - SAFETY_MARGIN_MS;
      else this.markLost();
    } catch (error) {
      // Not lost yet: the lease holds until it runs out, and the next renewal may get through.
      log.warn({ err: error, tenant: this.tenantId }, "delivery lane lease not renewed");
    }
  }

  private markLost(): void {
    if (!this.lost) log.warn({ tenant: this.tenantId }, "delivery lane taken over: this process stops serving it");
    this.lost = true;
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (this.lost) return;
    this.lost = true;
    await db().$executeRaw`
      UPDATE ${TABLE} SET "leaseUntil" = NULL
      WHERE "tenantId" = ${this.tenantId} AND "fencingToken" = CAST(${this.token} AS BIGINT)`;
  }
}
