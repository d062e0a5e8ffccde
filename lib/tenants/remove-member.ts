import "server-only";
import { assertOwnerRule, withMembershipsLocked } from "./membership-lock";

/**
 * Takes the user out of the site. Their sessions and API tokens for it fail from the next
 * request (every request looks the membership up); their tokens are also marked revoked so
 * the site's token list says so. An account left without any site is deleted, which frees
 * its email to be added again.
 */
export async function removeMember(tenantId: string, actorUserId: string, userId: string): Promise<void> {
  await withMembershipsLocked(tenantId, actorUserId, userId, async (tx, { actorRole, target }) => {
    await assertOwnerRule(tx, tenantId, actorRole, target, null);
    await tx.membership.delete({ where: { id: target.id } });
    await tx.apiToken.updateMany({ where: { tenantId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if ((await tx.membership.count({ where: { userId } })) === 0) await tx.user.delete({ where: { id: userId } });
  });
}
