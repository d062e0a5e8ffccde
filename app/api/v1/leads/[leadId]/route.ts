// GET /api/v1/leads/<id> — one lead with its delivery history and its history of states;
// PATCH — change its state
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { getLead, setLeadState } from "@/lib/leads/lead-queries";
import { ROLES } from "@/lib/schemas/auth";
import { leadStatePatchSchema } from "@/lib/schemas/leads";

export const GET = withTenant(
  async (_req, { tenantId, params }) => json(await getLead(tenantId, String(params.leadId))),
  { roles: ROLES },
);

// Every role: working leads is what members are for.
export const PATCH = withTenant(
  async (req, { tenantId, userId, params }) => {
    const { state } = await parseJsonBody(req, leadStatePatchSchema);
    return json(await setLeadState(tenantId, String(params.leadId), userId, state));
  },
  { roles: ROLES },
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethodsRefused({ GET, PATCH });
