import "server-only";
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import { ApiError } from "@/lib/http/api-error";
import type { RegisterResponse } from "@/lib/schemas/auth";

/** Public, unguessable id of a site, used in its lead form's URL. */
export function generateSiteKey(): string {
  return randomBytes(12).toString("base64url");
}

/** Sign-up: a new user, their site (tenant) and their site_owner membership, together. */
export async function registerAccount(input: {
  email: string;
  password: string;
  site_name: string;
}): Promise<RegisterResponse> {
  if (!config().allowSignup) throw ApiError.forbidden("Sign-up is disabled", "signup_closed");
  if (await db().user.findUnique({ where: { email: input.email } }))
    throw new ApiError(409, "email_taken", "Email already registered");
  const passwordHash = await hashPassword(input.password);
  try {
    const { user, tenant } = await db().$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, passwordHash } });
      const tenant = await tx.tenant.create({ data: { name: input.site_name, siteKey: generateSiteKey() } });
      await tx.membership.create({ data: { userId: user.id, tenantId: tenant.id, role: "site_owner" } });
      return { user, tenant };
    });
    return {
      user: { id: user.id, email: user.email },
      tenant: { id: tenant.id, name: tenant.name, site_key: tenant.siteKey },
      role: "site_owner",
    };
  } catch (error) {
    // Two sign-ups with one email at once: the loser hits the unique index.
    if (isUniqueViolation(error)) throw new ApiError(409, "email_taken", "Email already registered");
    throw error;
  }
}
