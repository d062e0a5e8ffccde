import "server-only";
import { cache } from "react";
import { roleSchema, type Role } from "@/lib/schemas/auth";
import { signedInMembership } from "./signed-in-membership";

export type CurrentMember = { userId: string; email: string; tenantId: string; tenantName: string; role: Role };

/** The signed-in user of a page and their site and role, once per request. */
export const currentMember = cache(async (): Promise<CurrentMember | null> => {
  const membership = await signedInMembership();
  if (!membership) return null;
  return {
    userId: membership.userId,
    email: membership.user.email,
    tenantId: membership.tenantId,
    tenantName: membership.tenant.name,
    role: roleSchema.parse(membership.role),
  };
});

export const canManage = (role: Role) => role === "site_owner" || role === "admin";
