import "server-only";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { fromDeliveryThread, type ToDeliveryThread } from "./delivery-thread-protocol";

type StartOptions = { releaseAllLeases: boolean };

/** After an unexpected exit the thread is started again; the dispatcher's poll resumes its work. */
const RESTART_DELAY_MS = 1_000;

/**
 * The main thread's handle on the delivery thread (delivery-worker.ts). Accepting a lead
 * costs a database commit; sending it costs several more plus the Bot API call. On their
 * own thread the sends use a second core and never delay a submission's 201.
 */
class DeliveryThread {
  private worker: Worker | undefined;
  private stopping = false;
  private exited: (() => void) | undefined;
  private readonly toWake = new Set<string>();

  /** Resolves once the thread's dispatcher runs; rejects if it cannot start. */
  start(options: StartOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./delivery-worker.ts", import.meta.url));
      this.worker = worker;
      let started = false;
      worker.on("message", (raw: unknown) => {
        const message = fromDeliveryThread.parse(raw);
        if (message.type === "started") {
          started = true;
          resolve();
        } else {
          reject(new Error(`The delivery thread could not start: ${message.message}`));
        }
      });
      worker.on("error", (error) => log.error({ err: error }, "the delivery thread failed"));
      worker.on("exit", (code) => {
        this.worker = undefined;
        this.exited?.();
        if (!started) return reject(new Error(`The delivery thread exited during start-up (code ${code})`));
        if (this.stopping) return;
        log.error({ code }, "the delivery thread stopped; starting it again");
        setTimeout(() => this.restart(options), RESTART_DELAY_MS).unref();
      });
      this.post({ type: "start", ...options });
    });
  }

  private restart(options: StartOptions): void {
    if (this.stopping) return;
    this.start(options).catch((error: unknown) => log.error({ err: error }, "the delivery thread did not restart"));
  }

  /**
   * A tenant has new work: its lane starts at once instead of at the next poll. The tenants
   * woken in one turn of the event loop go over in one message.
   */
  wake(tenantId: string): void {
    this.toWake.add(tenantId);
    if (this.toWake.size > 1) return;
    setImmediate(() => {
      this.post({ type: "wake", tenantIds: [...this.toWake] });
      this.toWake.clear();
    });
  }

  /**
   * A Telegram integration changed on this server (connected, webhook set or removed,
   * switched, deleted): its bot's poller looks again at once rather than at its next poll.
   */
  pollingChanged(integrationId: string): void {
    this.post({ type: "polling-changed", integrationIds: [integrationId] });
  }

  /**
   * Stops taking work and waits for the sends in flight, so a restart never repeats a
   * message Telegram already has (scripts/server.mjs calls this on SIGTERM).
   */
  async drain(): Promise<void> {
    this.stopping = true;
    if (!this.worker) return;
    await new Promise<void>((resolve) => {
      this.exited = resolve;
      this.post({ type: "drain" });
    });
  }

  private post(message: ToDeliveryThread): void {
    this.worker?.postMessage(message);
  }
}

// Next may evaluate this module in several bundles; the process has one delivery thread,
// and scripts/server.mjs finds it here to drain it on SIGTERM.
const globalForDelivery = globalThis as unknown as { leadgramDelivery?: DeliveryThread };

export function deliveryThread(): DeliveryThread {
  globalForDelivery.leadgramDelivery ??= new DeliveryThread();
  return globalForDelivery.leadgramDelivery;
}
