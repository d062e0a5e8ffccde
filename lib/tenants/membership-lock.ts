import "server-only";
import type { Db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import type { Role } from "@/lib/schemas/auth";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Opens a transaction in which the tenant's memberships cannot change under the caller,
 * and reads the actor's and the target's membership in it. The first write takes the
 * tenant row's lock until commit on PostgreSQL, so two owners demoting each other at once
 * are serialised and the second sees one owner left; on SQLite the adapter runs one
 * interactive transaction at a time. `change` returns an ApiError instead of throwing it:
 * a refusal then commits nothing rather than rolling back the shared SQLite connection.
 */
export async function withMembershipsLocked<T>(
  db: Db,
  tenantId: string,
  actorUserId: string,
  targetUserId: string,
  change: (tx: Tx, memberships: { actorRole: Role | null; target: LockedMembership }) => Promise<T | ApiError>,
): Promise<T> {
  const outcome = await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenantId }, data: { updatedAt: new Date() } });
    const actor = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: actorUserId } } });
    const target = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: targetUserId } }, include: { user: { select: { email: true } } } });
    if (!target) return ApiError.notFound("Member not found");
    return change(tx, { actorRole: (actor?.role as Role | undefined) ?? null, target });
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}

export type LockedMembership = { id: string; userId: string; role: string; createdAt: Date; user: { email: string } };

/**
 * Why `actorRole` may not give the target `newRole` (null: remove them), or null when it
 * may. Only a site_owner changes, removes or creates a site_owner; a site keeps at least one.
 */
export async function ownerRuleRefusal(tx: Tx, tenantId: string, actorRole: Role | null, target: LockedMembership, newRole: Role | null): Promise<ApiError | null> {
  if (actorRole !== "site_owner" && actorRole !== "admin") return ApiError.forbidden();
  const touchesOwner = target.role === "site_owner" || newRole === "site_owner";
  if (touchesOwner && actorRole !== "site_owner") return ApiError.forbidden("Only a site owner can change or remove a site owner");
  if (target.role === "site_owner" && newRole !== "site_owner") {
    const owners = await tx.membership.count({ where: { tenantId, role: "site_owner" } });
    if (owners <= 1) return new ApiError(409, "The last site owner can be neither removed nor demoted; make another member a site owner first");
  }
  return null;
}
