import "server-only";
import { isMainThread } from "node:worker_threads";
import { deliveryThread } from "./delivery-thread";
import { dispatcher } from "./dispatcher";

/**
 * Starts the tenant's delivery lane now rather than at the next poll, from either thread:
 * a request on the main thread asks the delivery thread, and an update heard by a poller
 * (which runs on the delivery thread itself) wakes its dispatcher directly.
 */
export function wakeDeliveryLane(tenantId: string): void {
  if (isMainThread) deliveryThread().wake(tenantId);
  else dispatcher().wake(tenantId);
}
