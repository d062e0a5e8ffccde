import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { throttleKey } from "@/lib/http/throttle-key";

/**
 * Slows password guessing on POST /api/v1/auth/token and the sign-in form. Every attempt
 * takes a point before the password is checked, per (client, email) and per client, and a
 * success gives its points back: counting only after the (slow) check would let parallel
 * guesses all through before the first failure is counted. Kept in memory: one server
 * process owns the SQLite file, and on PostgreSQL each process throttling on its own still
 * caps guessing per process. IPv6 clients count per /64 (lib/http/throttle-key.ts).
 */
const attemptsPerAccount = new RateLimiterMemory({
  keyPrefix: "login-account",
  points: 5,
  duration: 15 * 60,
  blockDuration: 15 * 60,
});
const attemptsPerClient = new RateLimiterMemory({
  keyPrefix: "login-client",
  points: 30,
  duration: 60 * 60,
  blockDuration: 60 * 60,
});

const accountKey = (clientIp: string, email: string) => `${throttleKey(clientIp)}|${email.trim().toLowerCase()}`;

async function msUntilAllowed(limiter: RateLimiterMemory, key: string): Promise<number> {
  const state = await limiter.get(key);
  return state && state.consumedPoints >= limiter.points ? state.msBeforeNext : 0;
}

/** Seconds the client must wait before trying again; 0 when it may try now. Takes nothing. */
export async function loginWaitSeconds(clientIp: string, email: string): Promise<number> {
  const waitMs = Math.max(
    await msUntilAllowed(attemptsPerAccount, accountKey(clientIp, email)),
    await msUntilAllowed(attemptsPerClient, throttleKey(clientIp)),
  );
  return Math.ceil(waitMs / 1000);
}

/**
 * Takes one attempt from the client's budgets before its password is checked. Returns 0
 * when the attempt may go ahead, else the seconds to wait (the attempt is not evaluated).
 */
export async function takeLoginAttempt(clientIp: string, email: string): Promise<number> {
  const taken = await Promise.allSettled([
    attemptsPerAccount.consume(accountKey(clientIp, email)),
    attemptsPerClient.consume(throttleKey(clientIp)),
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
  await attemptsPerAccount.delete(accountKey(clientIp, email));
  await attemptsPerClient.reward(throttleKey(clientIp));
}
