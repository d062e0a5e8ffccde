import "server-only";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { authenticateWithPassword } from "./authenticate";
import { hashPassword } from "./password";

/**
 * Raising the version ends every browser session of the user on its next request, on
 * every server (lib/auth/signed-in-membership.ts). API tokens are left alone: they are
 * revoked one by one in the site settings, so a programme's token survives a routine
 * password change.
 */
export async function signOutEverywhere(userId: string): Promise<number> {
  const user = await db().user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return user.sessionVersion;
}

/**
 * Checks the current password, stores the new one and ends the user's sessions; returns the
 * new session version. The check counts against the sign-in throttle, so a stolen session
 * or token cannot be used to guess the password faster than the sign-in form allows.
 */
export async function changePassword(
  userId: string,
  input: { current_password: string; new_password: string },
  req: Request,
): Promise<number> {
  const { email } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  const check = await authenticateWithPassword(email, input.current_password, req);
  if (!check.ok && check.reason === "throttled") throw ApiError.tooManyRequests(check.retryAfterSeconds);
  if (!check.ok) throw new ApiError(400, "wrong_password", "Current password is incorrect");
  const passwordHash = await hashPassword(input.new_password);
  const updated = await db().user.update({
    where: { id: userId },
    data: { passwordHash, sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated.sessionVersion;
}
