import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { makeLimiter } from "@/lib/http/rate-limiter";
import { throttleKey } from "@/lib/http/throttle-key";

/**
 * Slows password guessing on POST /api/v1/auth/token and the sign-in form. Every attempt
 * takes a point before the password is checked, per (client, email) and per client, and a
 * success gives its points back: counting only after the (slow) check would let parallel
 * guesses all through before the first failure is counted. The budgets are shared by every
 * server on the database (lib/http/rate-limiter.ts), so spreading guesses over servers
 * gains nothing. IPv6 clients count per /64 (lib/http/throttle-key.ts).
 */
let limiters: { perAccount: RateLimiterAbstract; perClient: RateLimiterAbstract } | undefined;

function lazyLimiters() {
  limiters ??= {
    perAccount: makeLimiter({ keyPrefix: "login-account", points: 5, duration: 15 * 60, blockDuration: 15 * 60 }),
    perClient: makeLimiter({ keyPrefix: "login-client", points: 30, duration: 60 * 60, blockDuration: 60 * 60 }),
  };
  return limiters;
}

const accountKey = (clientIp: string, email: string) => `${throttleKey(clientIp)}|${email.trim().toLowerCase()}`;

async function msUntilAllowed(limiter: RateLimiterAbstract, key: string): Promise<number> {
  const state = await limiter.get(key);
  return state && state.consumedPoints >= limiter.points ? state.msBeforeNext : 0;
}

/** Seconds the client must wait before trying again; 0 when it may try now. Takes nothing. */
export async function loginWaitSeconds(clientIp: string, email: string): Promise<number> {
  const { perAccount, perClient } = lazyLimiters();
  const waitMs = Math.max(
    await msUntilAllowed(perAccount, accountKey(clientIp, email)),
    await msUntilAllowed(perClient, throttleKey(clientIp)),
  );
  return Math.ceil(waitMs / 1000);
}

/**
 * Takes one attempt from the client's budgets before its password is checked. Returns 0
 * when the attempt may go ahead, else the seconds to wait (the attempt is not evaluated).
 */
export async function takeLoginAttempt(clientIp: string, email: string): Promise<number> {
  const { perAccount, perClient } = lazyLimiters();
  const taken = await Promise.allSettled([
    perAccount.consume(accountKey(clientIp, email)),
    perClient.consume(throttleKey(clientIp)),
  ]);
  let waitMs = 0;
  for (const result of taken) {
    if (result.status === "fulfilled") continue;
    // consume() rejects with RateLimiterRes once a budget is used up; anything else is a bug.
    if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
    waitMs = Math.max(waitMs, result.reason.msBeforeNext);
  }
  return Math.ceil(waitMs / 1000);
}

/** A right password: the account's failures are forgotten and the client gets its point back. */
export async function recordLoginSuccess(clientIp: string, email: string): Promise<void> {
  const { perAccount, perClient } = lazyLimiters();
  await perAccount.delete(accountKey(clientIp, email));
  await perClient.reward(throttleKey(clientIp));
}
