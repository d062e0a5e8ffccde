// GET /api/v1/leads/stats — the dashboard's figures: open leads, median minutes to take one
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { leadFigures } from "@/lib/leads/state/lead-figures";
import { ROLES } from "@/lib/schemas/auth";

export const GET = withTenant(async (_req, { tenantId }) => json(await leadFigures(tenantId)), { roles: ROLES });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
