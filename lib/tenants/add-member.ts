import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import type { Role } from "@/lib/schemas/auth";
import type { MemberDto } from "@/lib/schemas/tenant";

/**
 * Creates a user inside the caller's tenant. Only a site_owner may make another
 * site_owner, so an admin cannot raise anyone (or a second account of theirs) above
 * themselves. An email that already has an account is refused rather than silently
 * joined to this tenant without its owner's consent.
 */
export async function addMember(
  tenantId: string,
  actorRole: Role,
  input: { email: string; password: string; role: Role },
): Promise<MemberDto> {
  if (input.role === "site_owner" && actorRole !== "site_owner")
    throw ApiError.forbidden("Only a site owner can add another site owner");
  if (await db().user.findUnique({ where: { email: input.email } }))
    throw new ApiError(409, "email_taken", "Email already registered");
  const passwordHash = await hashPassword(input.password);
  const user = await db().user.create({
    data: { email: input.email, passwordHash, memberships: { create: { tenantId, role: input.role } } },
  });
  return { user_id: user.id, email: user.email, role: input.role };
}
