// GET /api/v1/telegram/integration/chats — chats that wrote to the bot, to pick the owner's chat
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { listChats } from "@/lib/telegram/integration/list-chats";

export const GET = withTenant(async (_req, { tenantId }) => json(await listChats(tenantId)), { roles: MANAGER_ROLES });

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
