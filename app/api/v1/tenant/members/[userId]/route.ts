// PATCH /api/v1/tenant/members/<user_id> — change a member's role; DELETE — remove them from the site
import { json, noContent } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { updateMemberSchema } from "@/lib/schemas/tenant";
import { changeMemberRole } from "@/lib/tenants/change-member-role";
import { removeMember } from "@/lib/tenants/remove-member";

export const PATCH = withTenant(
  async (req, { tenantId, userId, params }) => {
    const { role } = await parseJsonBody(req, updateMemberSchema);
    return json(await changeMemberRole(tenantId, userId, String(params.userId), role));
  },
  { roles: MANAGER_ROLES },
);

export const DELETE = withTenant(
  async (_req, { tenantId, userId, params }) => {
    await removeMember(tenantId, userId, String(params.userId));
    return noContent();
  },
  { roles: MANAGER_ROLES },
);

export const { GET, POST, PUT, OPTIONS } = otherMethodsRefused({ PATCH, DELETE });
