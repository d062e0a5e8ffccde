import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { consumeOrRefuse, makeLimiter } from "@/lib/http/rate-limiter";

/**
 * Each accepted update costs a committed (on SQLite: synced) write that every site on the
 * server waits behind, so one bot's flood must not become everyone's. A notification bot
 * sees a few updates a minute; this leaves room for bursts (Telegram sends up to 40 at
 * once) without letting one bot take the disk.
 */
export const UPDATES_PER_SECOND_PER_INTEGRATION = 20;

let limiter: RateLimiterAbstract | undefined;

/**
 * Throws 429 with Retry-After past the integration's rate, counted across every server on
 * the database. Telegram redelivers an update it did not get a 2xx for, so a refused update
 * is delayed, not lost.
 */
export async function throttleUpdates(integrationId: string): Promise<void> {
  limiter ??= makeLimiter({ keyPrefix: "telegram-updates", points: UPDATES_PER_SECOND_PER_INTEGRATION, duration: 1 });
  await consumeOrRefuse(limiter, integrationId);
}
