// POST|GET|DELETE /api/v1/auth/telegram-link — the caller links their own Telegram account
// with a one-time t.me link, sees it, or unlinks it (per site: the caller's current one)
import { json, noContent } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { ROLES } from "@/lib/schemas/auth";
import { accountLinkState, createAccountLink, unlinkAccount } from "@/lib/telegram/members/account-link";

export const POST = withTenant(
  async (_req, { tenantId, userId }) => json(await createAccountLink(tenantId, userId), 201),
  {
    roles: ROLES,
  },
);

export const GET = withTenant(async (_req, { tenantId, userId }) => json(await accountLinkState(tenantId, userId)), {
  roles: ROLES,
});

export const DELETE = withTenant(
  async (_req, { tenantId, userId }) => {
    await unlinkAccount(tenantId, userId);
    return noContent();
  },
  { roles: ROLES },
);

export const { PUT, PATCH, OPTIONS } = otherMethodsRefused({ POST, GET, DELETE });
