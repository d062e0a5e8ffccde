import "server-only";
import { db } from "@/lib/db/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import { roleSchema } from "@/lib/schemas/auth";
import type { MemberList } from "@/lib/schemas/tenant";

export async function listMembers(tenantId: string): Promise<MemberList> {
  const memberships = await db().membership.findMany({ where: { tenantId }, orderBy: { createdAt: "asc" }, include: { user: { select: { email: true } } } });
  return {
    items: memberships.map((membership) => ({
      user_id: membership.userId,
      email: membership.user.email,
      role: roleSchema.parse(membership.role),
      created_at: isoTimestamp(membership.createdAt),
    })),
  };
}
