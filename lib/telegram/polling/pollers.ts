import "server-only";
import { randomUUID } from "node:crypto";
import { log } from "@/lib/log";
import { BotPoller } from "./bot-poller";
import { integrationsToPoll, POLLING_LEASE_MS, releaseAllPollingLeases, renewPollingLeases } from "./polling-writes";

/** How often the server looks for bots nobody polls (a new one, or one whose holder died). */
const SCAN_INTERVAL_MS = 5_000;
/** A third of the lease: two renewals can fail before another server may take a bot over. */
const RENEW_INTERVAL_MS = POLLING_LEASE_MS / 3;
/** Bots a scan starts at most; the next scan finds the rest. */
const SCAN_LIMIT = 500;

/**
 * The server's Telegram update pollers (on the delivery thread, beside the outbox): one
 * BotPoller per bot that has no webhook and whose lease this server holds. A scan starts
 * pollers for the bots nobody polls, one statement renews all this server's leases, and a
 * change (connect, webhook, deactivate, delete) wakes its bot's poller at once, on
 * PostgreSQL whichever process made it (wake-lane.ts).
 */
class Pollers {
  /** This server's name in the leases: a new one per start, so a crashed run's leases are not ours. */
  private readonly holder = randomUUID();
  private readonly running = new Map<string, { poller: BotPoller; done: Promise<void> }>();
  private timers: NodeJS.Timeout[] = [];
  private stopped = true;

  async start(options: { releaseAllLeases: boolean }): Promise<void> {
    // Only one process uses a SQLite file: whatever it held was cut off by a stop.
    if (options.releaseAllLeases) await releaseAllPollingLeases();
    this.stopped = false;
    this.timers = [
      setInterval(() => void this.scan(), SCAN_INTERVAL_MS),
      setInterval(() => void this.renew(), RENEW_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    void this.scan();
  }

  /** The integration changed on this server: its poller looks again, or one starts. */
  changed(integrationId: string): void {
    if (this.stopped) return;
    const entry = this.running.get(integrationId);
    if (entry) entry.poller.recheck();
    else this.launch(integrationId);
  }

  /** Ends every poll (the request held open is aborted) and waits until the leases are released. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const { poller } of this.running.values()) poller.stop();
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
  }

  private async scan(): Promise<void> {
    try {
      for (const integrationId of await integrationsToPoll(SCAN_LIMIT))
        if (!this.running.has(integrationId)) this.launch(integrationId);
    } catch (error) {
      log.error({ err: error }, "could not look for bots to poll");
    }
  }

  /** A poller whose lease was not renewed (taken over, or its row dropped) stops. */
  private async renew(): Promise<void> {
    try {
      const held = await renewPollingLeases(this.holder);
      for (const [integrationId, { poller }] of this.running)
        if (poller.hasClaimed && !held.has(integrationId)) poller.stop();
    } catch (error) {
      log.error({ err: error }, "could not renew the polling leases");
    }
  }

  private launch(integrationId: string): void {
    if (this.stopped) return;
    const poller = new BotPoller(integrationId, this.holder);
    const done = poller
      .run()
      .catch((error: unknown) => log.error({ err: error, integration: integrationId }, "a bot poller failed"))
      .finally(() => this.running.delete(integrationId));
    this.running.set(integrationId, { poller, done });
  }
}

let instance: Pollers | undefined;

/** The delivery thread's pollers (delivery-worker.ts); the process has only these. */
export function pollers(): Pollers {
  instance ??= new Pollers();
  return instance;
}
