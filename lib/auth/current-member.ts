import "server-only";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { roleSchema, type Role } from "@/lib/schemas/auth";
import { auth } from "./next-auth";

export type CurrentMember = { userId: string; email: string; tenantId: string; tenantName: string; role: Role };

/** The signed-in user of a page and their site and role, once per request. */
export const currentMember = cache(async (): Promise<CurrentMember | null> => {
  const userId = (await auth())?.user?.id;
  if (!userId) return null;
  const membership = await db().membership.findFirst({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { email: true } }, tenant: { select: { name: true } } },
  });
  if (!membership) return null;
  return { userId, email: membership.user.email, tenantId: membership.tenantId, tenantName: membership.tenant.name, role: roleSchema.parse(membership.role) };
});

export const canManage = (role: Role) => role === "site_owner" || role === "admin";
