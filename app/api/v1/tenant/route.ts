// GET /api/v1/tenant — the caller's site; PATCH — rename it or change its allowed origins
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES, ROLES } from "@/lib/schemas/auth";
import { updateTenantSchema } from "@/lib/schemas/tenant";
import { getTenant, updateTenant } from "@/lib/tenants/tenant-settings";

export const GET = withTenant(async (_req, { tenantId }) => json(await getTenant(tenantId)), { roles: ROLES });

export const PATCH = withTenant(
  async (req, { tenantId }) => json(await updateTenant(tenantId, await parseJsonBody(req, updateTenantSchema))),
  { roles: MANAGER_ROLES },
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethodsRefused({ GET, PATCH });
