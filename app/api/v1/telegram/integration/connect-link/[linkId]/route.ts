// GET /api/v1/telegram/integration/connect-link/<id> — whether the link was used, and by which chat
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { connectLinkStatus } from "@/lib/telegram/integration/connect-link";

export const GET = withTenant(
  async (_req, { tenantId, params }) => json(await connectLinkStatus(tenantId, String(params.linkId))),
  { roles: MANAGER_ROLES },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
