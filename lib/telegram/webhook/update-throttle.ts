import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "@/lib/http/api-error";

/**
 * Each accepted update costs a committed (on SQLite: synced) write that every site on the
 * server waits behind, so one bot's flood must not become everyone's. A notification bot
 * sees a few updates a minute; this leaves room for bursts (Telegram sends up to 40 at
 * once) without letting one bot take the disk.
 */
export const UPDATES_PER_SECOND_PER_INTEGRATION = 20;

let limiter: RateLimiterMemory | undefined;

/**
 * Throws 429 with Retry-After past the integration's rate. Telegram redelivers an update it
 * did not get a 2xx for, so a refused update is delayed, not lost.
 */
export async function throttleUpdates(integrationId: string): Promise<void> {
  limiter ??= new RateLimiterMemory({
    keyPrefix: "telegram-updates",
    points: UPDATES_PER_SECOND_PER_INTEGRATION,
    duration: 1,
  });
  try {
    await limiter.consume(integrationId);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw ApiError.tooManyRequests(error.msBeforeNext / 1000);
    throw error;
  }
}
