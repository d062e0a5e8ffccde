// GET /api/v1/leads — the site's leads, newest first (?limit, ?cursor, ?status, ?state)
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseQuery } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { listLeads } from "@/lib/leads/lead-queries";
import { ROLES } from "@/lib/schemas/auth";
import { leadListQuerySchema } from "@/lib/schemas/leads";

export const GET = withTenant(
  async (req, { tenantId }) => json(await listLeads(tenantId, parseQuery(req, leadListQuerySchema))),
  { roles: ROLES },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
