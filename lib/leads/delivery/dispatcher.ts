import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { deliverLead } from "./deliver-lead";

const POLL_INTERVAL_MS = 1_000;
/** How long a claimed delivery is ours; after a crash another process takes it over then. */
const LEASE_MS = 2 * 60_000;
const UNFINISHED = ["pending", "retrying", "sending"];

function isDue(delivery: { status: string; nextAttemptAt: Date; leaseUntil: Date | null }, now: Date): boolean {
  if (delivery.status === "sending") return delivery.leaseUntil === null || delivery.leaseUntil < now;
  return delivery.nextAttemptAt <= now;
}

/**
 * Sends the outbox. Each tenant has at most one lane running, which takes that tenant's
 * oldest unfinished delivery, claims it with a lease, sends it, and moves on: leads reach
 * the owner's chat in the order they arrived, and a lead waiting for a retry holds the
 * ones behind it. A new lead wakes its tenant's lane at once; a poll every second picks
 * up retries that came due and work left by a stopped server.
 */
class DeliveryDispatcher {
  private readonly lanes = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  async start(options: { releaseAllLeases: boolean }): Promise<void> {
    if (options.releaseAllLeases) {
      // Only one process uses a SQLite file: whatever it had claimed was cut off by a stop.
      await db().delivery.updateMany({ where: { status: "sending" }, data: { status: "retrying", leaseUntil: null } });
    }
    this.stopped = false;
    this.schedulePoll(0);
  }

  /**
   * Stops taking work and waits for the sends in flight, so a restart never repeats a
   * message Telegram already has (asked by the main thread on SIGTERM).
   */
  async drain(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled(this.lanes.values());
  }

  wake(tenantId: string): void {
    if (!this.stopped && !this.lanes.has(tenantId)) this.lanes.set(tenantId, this.runLane(tenantId));
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const now = new Date();
      const due = await db().delivery.findMany({
        where: { OR: [{ status: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } }, { status: "sending", leaseUntil: { lt: now } }] },
        distinct: ["tenantId"],
        select: { tenantId: true },
        take: 500,
      });
      for (const { tenantId } of due) this.wake(tenantId);
    } catch (error) {
      log.error({ err: error }, "delivery poll failed");
    } finally {
      this.schedulePoll(POLL_INTERVAL_MS);
    }
  }

  private async runLane(tenantId: string): Promise<void> {
    try {
      while (!this.stopped) {
        const head = await db().delivery.findFirst({ where: { tenantId, status: { in: UNFINISHED } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
        const now = new Date();
        if (!head || !isDue(head, now)) return;
        const claimed = await db().delivery.updateMany({
          where: { id: head.id, status: head.status, leaseUntil: head.leaseUntil },
          data: { status: "sending", leaseUntil: new Date(now.getTime() + LEASE_MS) },
        });
        if (claimed.count === 0) return; // another process took it
        await deliverLead(head, () => this.stopped);
      }
    } catch (error) {
      log.error({ err: error, tenant: tenantId }, "delivery lane stopped by an error; the poll will resume it");
    } finally {
      this.lanes.delete(tenantId);
    }
  }
}

let instance: DeliveryDispatcher | undefined;

/** The delivery thread's dispatcher (delivery-worker.ts); the process has only this one. */
export function dispatcher(): DeliveryDispatcher {
  instance ??= new DeliveryDispatcher();
  return instance;
}
