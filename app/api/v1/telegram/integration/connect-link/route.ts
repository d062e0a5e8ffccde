// POST /api/v1/telegram/integration/connect-link — a one-time t.me link that binds the chat pressing Start
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { createConnectLink } from "@/lib/telegram/integration/connect-link";

export const POST = withTenant(async (_req, { tenantId }) => json(await createConnectLink(tenantId), 201), {
  roles: MANAGER_ROLES,
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
