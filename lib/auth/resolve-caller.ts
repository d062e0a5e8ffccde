import "server-only";
import { roleSchema, type Role } from "@/lib/schemas/auth";
import { findApiToken, touchApiToken } from "./api-tokens";
import { membershipOf } from "./membership-of";
import { signedInMembership } from "./signed-in-membership";

export type Caller = {
  userId: string;
  tenantId: string;
  role: Role;
  via: "session" | "api_token";
  apiTokenId?: string;
};

// lastUsedAt is informational; writing it on every request would put a write on every read.
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/**
 * Who is calling, from `Authorization: Bearer <api token>` or else the next-auth session
 * cookie. A bearer token is bound to one tenant; a session acts in the user's tenant.
 */
export async function resolveCaller(req: Request): Promise<Caller | null> {
  const token = bearerToken(req);
  if (token) {
    const row = await findApiToken(token);
    if (!row) return null;
    const membership = await membershipOf(row.userId, row.tenantId);
    if (!membership) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) await touchApiToken(row.id);
    return {
      userId: row.userId,
      tenantId: row.tenantId,
      role: roleSchema.parse(membership.role),
      via: "api_token",
      apiTokenId: row.id,
    };
  }
  const membership = await signedInMembership();
  if (!membership) return null;
  return {
    userId: membership.userId,
    tenantId: membership.tenantId,
    role: roleSchema.parse(membership.role),
    via: "session",
  };
}
