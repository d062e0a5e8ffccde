// GET|POST|PATCH|DELETE /api/v1/telegram/integration — the tenant's Telegram bot connection
import { json, noContent } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { createIntegrationSchema, updateIntegrationSchema } from "@/lib/schemas/telegram";
import { deleteIntegration } from "@/lib/telegram/integration/delete-integration";
import { findIntegration } from "@/lib/telegram/integration/find-integration";
import { toIntegrationDto } from "@/lib/telegram/integration/integration-dto";
import { connectBot, updateIntegration } from "@/lib/telegram/integration/save-integration";

const roles = MANAGER_ROLES;

// GET — the integration, or JSON null when the tenant has none
export const GET = withTenant(
  async (_req, { tenantId }) => {
    const integration = await findIntegration(tenantId);
    return json(integration ? toIntegrationDto(integration) : null);
  },
  { roles },
);

// POST — connect a bot (or replace the connected one); the token is verified with getMe
export const POST = withTenant(
  async (req, { tenantId }) => json(await connectBot(tenantId, await parseJsonBody(req, createIntegrationSchema)), 201),
  { roles },
);

// PATCH — change the token, chat, switch or welcome message
export const PATCH = withTenant(
  async (req, { tenantId }) =>
    json(await updateIntegration(tenantId, await parseJsonBody(req, updateIntegrationSchema))),
  { roles },
);

// DELETE — disconnect the bot and remove its webhook at Telegram
export const DELETE = withTenant(
  async (_req, { tenantId }) => {
    await deleteIntegration(tenantId);
    return noContent();
  },
  { roles },
);

export const { PUT, OPTIONS } = otherMethodsRefused({ GET, POST, PATCH, DELETE });
