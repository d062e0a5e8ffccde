// GET /api/v1/telegram/integration/webhook-url — the URL Telegram should call for this bot
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { getWebhookUrl } from "@/lib/telegram/integration/webhook-registration";

export const GET = withTenant(async (_req, { tenantId }) => json(await getWebhookUrl(tenantId)), {
  roles: MANAGER_ROLES,
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
