import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/api-error";
import { throttleKey } from "@/lib/http/throttle-key";

let perClient: RateLimiterMemory | undefined;

/**
 * Throws 429 with Retry-After once a client address (an IPv6 /64) has tried to sign up
 * SIGNUPS_PER_HOUR_PER_CLIENT times this hour. Every well-formed attempt counts, taken
 * before the work: each costs a password hash and would create a site.
 */
export async function throttleSignup(clientIp: string): Promise<void> {
  perClient ??= new RateLimiterMemory({
    keyPrefix: "signup-client",
    points: config().signupsPerHourPerClient,
    duration: 60 * 60,
  });
  try {
    await perClient.consume(throttleKey(clientIp));
  } catch (error) {
    if (error instanceof RateLimiterRes) throw ApiError.tooManyRequests(error.msBeforeNext / 1000);
    throw error;
  }
}
