import "server-only";
import { db } from "@/lib/db/client";
import { auth } from "./next-auth";

/**
 * The membership a browser session acts in (the user's first site), or null without a
 * session, once the member was removed, or once the user's sessionVersion moved past the
 * one stamped into the cookie at sign-in (password change, "sign out everywhere"). One
 * query, read on every request, so a revocation holds on the very next request on every
 * server. Cookies from before sessionVersion existed count as version 0.
 */
export async function signedInMembership() {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return db().membership.findFirst({
    where: { userId, user: { sessionVersion: session.sessionVersion } },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { email: true } }, tenant: { select: { name: true } } },
  });
}
