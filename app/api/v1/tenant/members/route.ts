// GET|POST /api/v1/tenant/members — the site's members; create a user with a role in the site
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES, ROLES } from "@/lib/schemas/auth";
import { createMemberSchema } from "@/lib/schemas/tenant";
import { addMember } from "@/lib/tenants/add-member";
import { listMembers } from "@/lib/tenants/list-members";

export const POST = withTenant(
  async (req, { tenantId, role }) =>
    json(await addMember(tenantId, role, await parseJsonBody(req, createMemberSchema)), 201),
  { roles: MANAGER_ROLES },
);

export const GET = withTenant(async (_req, { tenantId }) => json(await listMembers(tenantId)), { roles: ROLES });

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET, POST });
