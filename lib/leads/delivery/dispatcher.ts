import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { deliverLead } from "./deliver-lead";
import { claimDelivery, releaseAllClaims, tenantsWithDueDeliveries, UNFINISHED_STATES } from "./delivery-writes";
import { editLeadMessage } from "./edit-message";
import { claimEdit, dueEdits, releaseAllEditClaims, tenantsWithDueEdits } from "./edit-writes";
import { takeLane, type LaneLease } from "./lane-leases";

const POLL_INTERVAL_MS = 1_000;
/**
 * Deliveries a lane reads at once; each is still claimed on its own just before sending. A
 * chat takes one message a second, so a lane holds what it read for that many seconds, and
 * a worker draining a backlog holds it for every lane at once (300 by default): at 20, a
 * drain of 20 leads per chat over 300 chats peaked at 152 MiB (median of five), at 5 at 139,
 * for the same CPU per message; at 2 the CPU grew and the memory did not drop
 * (bench/worker-drain.ts).
 */
const BATCH_SIZE = 5;
/** Tenants a poll wakes at most; the next poll finds the rest. */
const POLL_TENANTS = 500;

/**
 * Sends the outbox. Each tenant has at most one lane running, across all servers (it runs
 * while it holds the lane's lease, lane-leases.ts), which takes that tenant's oldest
 * unfinished deliveries, claims each with a lease, sends it, and moves on: leads reach
 * the owner's chat in the order they arrived, and a lead waiting for a retry holds the
 * ones behind it. Then the edits of lead messages whose state changed: each on its own
 * (one waiting for a retry holds nothing back), paced with the sends, and only while no
 * delivery is waiting, so an edit never delays a new lead nor is held up by one. A new lead
 * or a change of state wakes its tenant's lane at once; a poll every second picks up
 * retries that came due, work left by a stopped server, and work queued through another
 * server while this one held the lane. At most DELIVERY_MAX_LANES lanes run in a process.
 */
class DeliveryDispatcher {
  private readonly lanes = new Map<string, Promise<void>>();
  /** Tenants woken while their lane was running: it looks for new work before it ends. */
  private readonly wokenWhileRunning = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  async start(options: { releaseAllLeases: boolean }): Promise<void> {
    if (options.releaseAllLeases) {
      // Only one process uses a SQLite file: whatever it had claimed was cut off by a stop.
      await releaseAllClaims();
      await releaseAllEditClaims();
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
    if (this.stopped) return;
    if (this.lanes.has(tenantId)) this.wokenWhileRunning.add(tenantId);
    // At the cap the tenant's work waits in the database (after a Telegram outage, thousands
    // of tenants may be due at once) and a poll wakes it once a lane has ended.
    else if (this.lanes.size < config().deliveryMaxLanes) this.lanes.set(tenantId, this.runLane(tenantId));
  }

  private schedulePoll(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      for (const tenantId of await tenantsWithDueDeliveries(POLL_TENANTS)) this.wake(tenantId);
      for (const tenantId of await tenantsWithDueEdits(POLL_TENANTS)) this.wake(tenantId);
    } catch (error) {
      log.error({ err: error }, "delivery poll failed");
    } finally {
      this.schedulePoll(POLL_INTERVAL_MS);
    }
  }

  /** Serves the tenant's lane while there is work, if no other process holds it. */
  private async runLane(tenantId: string): Promise<void> {
    let lane: LaneLease | null = null;
    try {
      lane = await takeLane(tenantId);
      if (!lane) return; // another server serves it; its poll finds the work queued here
      const stopping = () => this.stopped || !lane?.held();
      while (!stopping()) {
        this.wokenWhileRunning.delete(tenantId);
        const sent = await this.sendNextBatch(lane, stopping);
        if (sent === "more" || (sent === "all-sent" && lane.shared) || this.wokenWhileRunning.has(tenantId)) continue;
        if ((await this.sendDueEdits(lane, stopping)) === "more" || this.wokenWhileRunning.has(tenantId)) continue;
        return;
      }
    } catch (error) {
      log.error({ err: error, tenant: tenantId }, "delivery lane stopped by an error; the poll will resume it");
    } finally {
      // Given up before this lane is forgotten: a lane started again by a wake can take it.
      await lane
        ?.release()
        .catch((error: unknown) => log.warn({ err: error, tenant: tenantId }, "delivery lane not released"));
      this.lanes.delete(tenantId);
      if (this.wokenWhileRunning.delete(tenantId) && lane) this.wake(tenantId);
    }
  }

  /**
   * Sends the tenant's oldest unfinished deliveries in order, read together with their
   * leads in one go. Stops at the first that is not due (the claim says so, by the
   * database's clock) or has to be tried again: the ones behind it wait. A delivery that
   * ended (sent, skipped, failed) lets the next one go.
   */
  private async sendNextBatch(
    lane: LaneLease,
    stopping: () => boolean,
  ): Promise<"blocked" | "all-sent" | "none" | "more"> {
    const batch = await db().delivery.findMany({
      where: { tenantId: lane.tenantId, status: { in: UNFINISHED_STATES } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH_SIZE,
      include: { lead: true },
    });
    for (const delivery of batch) {
      if (stopping()) return "blocked";
      const claim = await claimDelivery(lane, delivery.id);
      if (!claim) return "blocked"; // not due yet, or the lane was taken over
      const result = await deliverLead(delivery, claim, stopping);
      if (result === "retrying" || result === "handed-back" || result === "claim-lost") return "blocked";
    }
    if (batch.length === 0) return "none";
    return batch.length === BATCH_SIZE ? "more" : "all-sent";
  }

  /**
   * Sends the tenant's edits that are due, oldest request first, each claimed on its own.
   * Stops as soon as the lane is woken (a new lead may be waiting: it goes first).
   */
  private async sendDueEdits(lane: LaneLease, stopping: () => boolean): Promise<"more" | "done"> {
    const due = await dueEdits(lane.tenantId, BATCH_SIZE);
    for (const messageRowId of due) {
      if (stopping() || this.wokenWhileRunning.has(lane.tenantId)) return "done";
      const claim = await claimEdit(lane, messageRowId);
      if (!claim) continue; // no longer due, or the lane was taken over
      await editLeadMessage(claim, stopping);
    }
    return due.length === BATCH_SIZE ? "more" : "done";
  }
}

let instance: DeliveryDispatcher | undefined;

/** The delivery thread's dispatcher (delivery-worker.ts); the process has only this one. */
export function dispatcher(): DeliveryDispatcher {
  instance ??= new DeliveryDispatcher();
  return instance;
}
