import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { consumeOrRefuse, makeLimiter } from "@/lib/http/rate-limiter";
import { throttleKey } from "@/lib/http/throttle-key";

let perClient: RateLimiterAbstract | undefined;

/**
 * Throws 429 with Retry-After once a client address (an IPv6 /64) has tried to sign up
 * SIGNUPS_PER_HOUR_PER_CLIENT times this hour, on any server. Every well-formed attempt
 * counts, taken before the work: each costs a password hash and would create a site.
 */
export async function throttleSignup(clientIp: string): Promise<void> {
  perClient ??= makeLimiter({
    keyPrefix: "signup-client",
    points: config().signupsPerHourPerClient,
    duration: 60 * 60,
  });
  await consumeOrRefuse(perClient, throttleKey(clientIp));
}
