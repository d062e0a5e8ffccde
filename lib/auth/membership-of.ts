import "server-only";
import { db } from "@/lib/db/client";

/**
 * The user's membership in `tenantId`, or without one their first (a user acts in the
 * site they joined first; the API token of another site names it explicitly).
 */
export function membershipOf(userId: string, tenantId?: string) {
  return db().membership.findFirst({
    where: { userId, ...(tenantId ? { tenantId } : {}) },
    orderBy: { createdAt: "asc" },
  });
}
