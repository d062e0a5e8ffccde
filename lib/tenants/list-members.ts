import "server-only";
import { db } from "@/lib/db/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import { roleSchema } from "@/lib/schemas/auth";
import type { MemberListItem } from "@/lib/schemas/tenant";

type MembershipWithEmail = { userId: string; role: string; createdAt: Date; user: { email: string } };

export function toMemberListItem(membership: MembershipWithEmail): MemberListItem {
  return {
    user_id: membership.userId,
    email: membership.user.email,
    role: roleSchema.parse(membership.role),
    telegram: null,
    created_at: isoTimestamp(membership.createdAt),
  };
}

export async function listMembers(tenantId: string): Promise<MemberListItem[]> {
  const memberships = await db().membership.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { email: true } } },
  });
  return memberships.map(toMemberListItem);
}
