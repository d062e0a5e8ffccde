// POST /api/v1/leads/<id>/resend — send the lead's notification again
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { resendLead } from "@/lib/leads/lead-queries";
import { MANAGER_ROLES } from "@/lib/schemas/auth";

export const POST = withTenant(
  async (_req, { tenantId, params }) => json(await resendLead(tenantId, String(params.leadId))),
  { roles: MANAGER_ROLES },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
