import "server-only";
import { isMainThread } from "node:worker_threads";
import { config } from "@/lib/config";
import { pollers } from "@/lib/telegram/polling/pollers";
import { deliveryThread } from "./delivery-thread";
import { announce, OUTBOX_CHANNEL, POLLING_CHANNEL } from "./delivery-signals";
import { dispatcher } from "./dispatcher";

/**
 * Starts the tenant's delivery lane now rather than at the next poll. On PostgreSQL the lane
 * may run in any process (a worker, another server), so every one of them is notified. On
 * SQLite it runs in this one: a request on the main thread asks the delivery thread, and an
 * update heard by a poller (which runs on the delivery thread itself) wakes its dispatcher.
 */
export function wakeDeliveryLane(tenantId: string): void {
  if (config().databaseProvider === "postgresql") announce(OUTBOX_CHANNEL, tenantId);
  else if (isMainThread) deliveryThread().wake(tenantId);
  else dispatcher().wake(tenantId);
}

/**
 * A Telegram integration changed (connected, webhook set or removed, switched, deleted): its
 * bot's poller, wherever it runs, looks again at once rather than at its next poll or scan.
 */
export function wakeBotPoller(integrationId: string): void {
  if (config().databaseProvider === "postgresql") announce(POLLING_CHANNEL, integrationId);
  else if (isMainThread) deliveryThread().pollingChanged(integrationId);
  else pollers().changed(integrationId);
}
