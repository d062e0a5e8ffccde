// GET /api/v1/leads/refused-redirects — form redirects refused lately, for the owner's notice
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { listRefusedRedirects } from "@/lib/leads/refused-redirects";
import { ROLES } from "@/lib/schemas/auth";

export const GET = withTenant(async (_req, { tenantId }) => json(await listRefusedRedirects(tenantId)), {
  roles: ROLES,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
