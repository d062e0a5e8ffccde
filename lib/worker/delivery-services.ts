import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Listener } from "@/lib/db/pg-listener";
import { listenForDeliverySignals } from "@/lib/leads/delivery/delivery-signals";
import { dispatcher } from "@/lib/leads/delivery/dispatcher";
import { pollers } from "@/lib/telegram/polling/pollers";

/**
 * What a process that sends runs: the outbox dispatcher (deliveries and message edits) and
 * the Telegram update pollers, and on PostgreSQL the listeners that wake them for work
 * accepted by other processes. The same in `npm start`'s delivery thread and in
 * `npm run worker`.
 */
let listeners: Listener[] = [];

export async function startDeliveryServices(options: { releaseAllLeases: boolean }): Promise<void> {
  await dispatcher().start(options);
  await pollers().start(options);
  if (config().databaseProvider === "postgresql") {
    listeners = listenForDeliverySignals({
      wake: (tenantId) => dispatcher().wake(tenantId),
      pollingChanged: (integrationId) => pollers().changed(integrationId),
    });
  }
}

/**
 * Stops taking work, waits for the sends in flight (so a restart never repeats a message
 * Telegram already has), releases the polling leases so another process takes the bots over
 * at once, and closes the database connections.
 */
export async function stopDeliveryServices(): Promise<void> {
  await Promise.all([dispatcher().drain(), pollers().stop(), ...listeners.map((listener) => listener.stop())]);
  listeners = [];
  await db().$disconnect();
}
