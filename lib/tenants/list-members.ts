import "server-only";
import { db } from "@/lib/db/client";
import type { TelegramAccountLink } from "@/lib/db/generated/sqlite/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import { roleSchema } from "@/lib/schemas/auth";
import type { MemberListItem } from "@/lib/schemas/tenant";
import { toTelegramAccountDto } from "@/lib/telegram/members/telegram-account-dto";

/** What a membership is read with to become a member list row. */
export const MEMBER_LIST_INCLUDE = { user: { select: { email: true } }, telegramAccount: true } as const;

type MembershipWithEmail = {
  userId: string;
  role: string;
  createdAt: Date;
  user: { email: string };
  telegramAccount: TelegramAccountLink | null;
};

export function toMemberListItem(membership: MembershipWithEmail): MemberListItem {
  return {
    user_id: membership.userId,
    email: membership.user.email,
    role: roleSchema.parse(membership.role),
    telegram: membership.telegramAccount && toTelegramAccountDto(membership.telegramAccount),
    created_at: isoTimestamp(membership.createdAt),
  };
}

export async function listMembers(tenantId: string): Promise<MemberListItem[]> {
  const memberships = await db().membership.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    include: MEMBER_LIST_INCLUDE,
  });
  return memberships.map(toMemberListItem);
}
