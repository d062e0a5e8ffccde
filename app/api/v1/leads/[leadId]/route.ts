// GET /api/v1/leads/<id> — one lead with its delivery history
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { getLead } from "@/lib/leads/lead-queries";
import { ROLES } from "@/lib/schemas/auth";

export const GET = withTenant(
  async (_req, { tenantId, params }) => json(await getLead(tenantId, String(params.leadId))),
  { roles: ROLES },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
