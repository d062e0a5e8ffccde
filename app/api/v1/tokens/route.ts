// GET|POST /api/v1/tokens — the site's API tokens: list, or create one (shown once)
import { createApiToken, listApiTokens } from "@/lib/auth/manage-api-tokens";
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { createApiTokenSchema } from "@/lib/schemas/tenant";

export const GET = withTenant(async (_req, { tenantId }) => json(await listApiTokens(tenantId)), {
  roles: MANAGER_ROLES,
});

export const POST = withTenant(
  async (req, { tenantId, userId }) => {
    const { name } = await parseJsonBody(req, createApiTokenSchema);
    return json(await createApiToken(tenantId, userId, name), 201);
  },
  { roles: MANAGER_ROLES },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET, POST });
