import "server-only";
import { db } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { recordLoginSuccess, takeLoginAttempt } from "./login-throttle";
import { burnPasswordCheck, verifyPassword } from "./password";

export type AuthenticationResult =
  | { ok: true; user: { id: string; email: string; sessionVersion: number } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Email + password check shared by the sign-in form and POST /api/v1/auth/token, so the
 * guessing throttle covers both.
 */
export async function authenticateWithPassword(
  email: string,
  password: string,
  req: Request,
): Promise<AuthenticationResult> {
  const ip = clientIp(req);
  const retryAfterSeconds = await takeLoginAttempt(ip, email);
  if (retryAfterSeconds > 0) return { ok: false, reason: "throttled", retryAfterSeconds };

  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const valid = user ? await verifyPassword(user.passwordHash, password) : await burnPasswordCheck(password);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  await recordLoginSuccess(ip, email);
  return { ok: true, user: { id: user.id, email: user.email, sessionVersion: user.sessionVersion } };
}
