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
 * are serialised and the second sees one owner left; on SQLite the connection's gate runs
 * one transaction at a time (lib/db/gated-sqlite-adapter.ts), so a refusal thrown inside
 * rolls back only this transaction.
 */
export async function withMembershipsLocked<T>(
  tenantId: string,
  actorUserId: string,
  targetUserId: string,
  change: (tx: Tx, memberships: { actorRole: Role | null; target: LockedMembership }) => Promise<T>,
): Promise<T> {
  if (!userIdSchema.safeParse(targetUserId).success) throw ApiError.notFound("Member not found");
  return db().$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenantId }, data: { updatedAt: new Date() } });
    const actor = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: actorUserId } } });
    const target = await tx.membership.findUnique({
      where: { tenantId_userId: { tenantId, userId: targetUserId } },
      include: { user: { select: { email: true } } },
    });
    if (!target) throw ApiError.notFound("Member not found");
    return change(tx, { actorRole: actor ? roleSchema.parse(actor.role) : null, target });
  });
}

export type LockedMembership = { id: string; userId: string; role: string; createdAt: Date; user: { email: string } };

/**
 * Throws unless `actorRole` may give the target `newRole` (null: remove them). Only a
 * site_owner changes, removes or creates a site_owner; a site keeps at least one.
 */
export async function assertOwnerRule(
  tx: Tx,
  tenantId: string,
  actorRole: Role | null,
  target: LockedMembership,
  newRole: Role | null,
): Promise<void> {
  if (actorRole !== "site_owner" && actorRole !== "admin") throw ApiError.forbidden();
  const touchesOwner = target.role === "site_owner" || newRole === "site_owner";
  if (touchesOwner && actorRole !== "site_owner")
    throw ApiError.forbidden("Only a site owner can change or remove a site owner");
  if (target.role === "site_owner" && newRole !== "site_owner") {
    const owners = await tx.membership.count({ where: { tenantId, role: "site_owner" } });
    if (owners <= 1)
      throw new ApiError(
        409,
        "last_owner",
        "The last site owner can be neither removed nor demoted; make another member a site owner first",
      );
  }
}
