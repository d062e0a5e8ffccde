import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Slows password guessing on POST /api/v1/auth/token and the sign-in form. Failures are
 * counted per (client address, email) and per client address; a success clears the
 * per-email count. Kept in memory: one server process owns the SQLite file, and on
 * PostgreSQL each process throttling on its own still caps guessing per process.
 */
const failuresPerAccount = new RateLimiterMemory({ keyPrefix: "login-account", points: 5, duration: 15 * 60, blockDuration: 15 * 60 });
const failuresPerClient = new RateLimiterMemory({ keyPrefix: "login-client", points: 30, duration: 60 * 60, blockDuration: 60 * 60 });

const accountKey = (clientIp: string, email: string) => `${clientIp}|${email.trim().toLowerCase()}`;

async function msUntilAllowed(limiter: RateLimiterMemory, key: string, points: number): Promise<number> {
  const state = await limiter.get(key);
  return state && state.consumedPoints >= points ? state.msBeforeNext : 0;
}

/** Seconds the client must wait before trying again; 0 when it may try now. */
export async function loginWaitSeconds(clientIp: string, email: string): Promise<number> {
  const waitMs = Math.max(
    await msUntilAllowed(failuresPerAccount, accountKey(clientIp, email), failuresPerAccount.points),
    await msUntilAllowed(failuresPerClient, clientIp, failuresPerClient.points),
  );
  return Math.ceil(waitMs / 1000);
}

export async function recordLoginFailure(clientIp: string, email: string): Promise<void> {
  // consume() rejects with RateLimiterRes once a limit is passed; the block is what we want.
  const swallowLimit = (error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  };
  await failuresPerAccount.consume(accountKey(clientIp, email)).catch(swallowLimit);
  await failuresPerClient.consume(clientIp).catch(swallowLimit);
}

export async function recordLoginSuccess(clientIp: string, email: string): Promise<void> {
  await failuresPerAccount.delete(accountKey(clientIp, email));
}
