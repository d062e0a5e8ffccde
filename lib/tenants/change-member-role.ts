import "server-only";
import type { Role } from "@/lib/schemas/auth";
import type { MemberListItem } from "@/lib/schemas/tenant";
import { MEMBER_LIST_INCLUDE, toMemberListItem } from "./list-members";
import { assertOwnerRule, withMembershipsLocked } from "./membership-lock";

/**
 * The new role applies from the member's next request: sessions and API tokens read the
 * role from the membership on every request.
 */
export async function changeMemberRole(
  tenantId: string,
  actorUserId: string,
  userId: string,
  role: Role,
): Promise<MemberListItem> {
  return withMembershipsLocked(tenantId, actorUserId, userId, async (tx, { actorRole, target }) => {
    await assertOwnerRule(tx, tenantId, actorRole, target, role);
    const updated = await tx.membership.update({
      where: { id: target.id },
      data: { role },
      include: MEMBER_LIST_INCLUDE,
    });
    return toMemberListItem(updated);
  });
}
