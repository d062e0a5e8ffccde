// POST|DELETE /api/v1/telegram/integration/webhook — register or remove the bot's webhook at Telegram
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { setWebhookRequestSchema } from "@/lib/schemas/telegram";
import { registerWebhook, removeWebhook } from "@/lib/telegram/integration/webhook-registration";

export const POST = withTenant(
  async (req, { tenantId }) => {
    const { webhook_url } = await parseJsonBody(req, setWebhookRequestSchema);
    return json(await registerWebhook(tenantId, webhook_url));
  },
  { roles: MANAGER_ROLES },
);

export const DELETE = withTenant(async (_req, { tenantId }) => json(await removeWebhook(tenantId)), {
  roles: MANAGER_ROLES,
});

export const { GET, PUT, PATCH, OPTIONS } = otherMethodsRefused({ POST, DELETE });
