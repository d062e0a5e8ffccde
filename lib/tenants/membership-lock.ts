import "server-only";
import { z } from "zod";
import { db, type Db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { roleSchema, type Role } from "@/lib/schemas/auth";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// User ids are UUIDs; anything else names nobody (and a NUL byte is an error on PostgreSQL).
const userIdSchema = z.uuid();

/**
 * Opens a transaction in which the tenant's memberships cannot change under the caller,
 * and reads the actor's and the target's membership in it. The first write takes the
 * tenant row's lock until commit on PostgreSQL, so two owners demoting each other at once
 * are serialised and the second sees one owner left; on SQLite the adapter runs one
 * interactive transaction at a time. `change` returns an ApiError instead of throwing it:
 * a refusal then commits (changing nothing but the lock's updatedAt) instead of rolling
 * back, which on SQLite's shared connection could take other requests' writes with it.
 */
export async function withMembershipsLocked<T>(
  tenantId: string,
  actorUserId: string,
  targetUserId: string,
  change: (tx: Tx, memberships: { actorRole: Role | null; target: LockedMembership }) => Promise<T | ApiError>,
): Promise<T> {
  if (!userIdSchema.safeParse(targetUserId).success) throw ApiError.notFound("Member not found");
  const outcome = await db().$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenantId }, data: { updatedAt: new Date() } });
    const actor = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: actorUserId } } });
    const target = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: targetUserId } }, include: { user: { select: { email: true } } } });
    if (!target) return ApiError.notFound("Member not found");
    return change(tx, { actorRole: actor ? roleSchema.parse(actor.role) : null, target });
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
    if (owners <= 1) return new ApiError(409, "last_owner", "The last site owner can be neither removed nor demoted; make another member a site owner first");
  }
  return null;
}
