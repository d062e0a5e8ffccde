// The delivery thread's entry point (started by delivery-thread.ts): runs the dispatcher and
// the Telegram update pollers with its own database connection, so sending notifications
// and hearing the bots never hold up the main thread that accepts leads.
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { setSqliteSync } from "@/lib/db/durability";
import { log } from "@/lib/log";
import { pollers } from "@/lib/telegram/polling/pollers";
import { startDeliveryServices, stopDeliveryServices } from "@/lib/worker/delivery-services";
import { dispatcher } from "./dispatcher";
import { toDeliveryThread, type FromDeliveryThread } from "./delivery-thread-protocol";

const port = parentPort;
if (!port) throw new Error("delivery-worker.ts runs only as a worker thread");
const reply = (message: FromDeliveryThread) => port.postMessage(message);

// When the CPU is short, answering a form comes first: a notification has seconds to spare,
// a visitor waiting for the 201 does not. On Linux this lowers only this thread's priority
// (elsewhere it would be the whole process's, so it is left alone).
const DELIVERY_THREAD_NICENESS = 10;
if (process.platform === "linux") os.setPriority(DELIVERY_THREAD_NICENESS);

port.on("message", (raw: unknown) => {
  const message = toDeliveryThread.parse(raw);
  switch (message.type) {
    case "start":
      void (async () => {
        try {
          // This connection only records delivery progress. Losing its last commits to a power
          // cut can at worst send a notification again, never lose a lead; not syncing them
          // keeps its write lock short, so the lead commits on the main thread rarely wait.
          // A polled update commits here too, unsynced as well: a power cut (not a crash,
          // nor a restart) may lose its last commits, and with them updates that Telegram
          // already forgot once the next poll confirmed them.
          await setSqliteSync("NORMAL");
          await startDeliveryServices({ releaseAllLeases: message.releaseAllLeases });
          reply({ type: "started" });
        } catch (error) {
          log.error({ err: error }, "the delivery thread could not start");
          reply({ type: "start-failed", message: error instanceof Error ? error.message : String(error) });
        }
      })();
      return;
    case "wake":
      for (const tenantId of message.tenantIds) dispatcher().wake(tenantId);
      return;
    case "polling-changed":
      for (const integrationId of message.integrationIds) pollers().changed(integrationId);
      return;
    case "drain":
      // Closing the port lets the thread end by itself, its exit handlers included; the
      // database connections would keep it alive until closed.
      void stopDeliveryServices().finally(() => port.close());
      return;
  }
});
