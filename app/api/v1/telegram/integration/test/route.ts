// POST /api/v1/telegram/integration/test — send a test message to chat_id or the owner's chat
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";
import { testMessageRequestSchema } from "@/lib/schemas/telegram";
import { sendTestMessage } from "@/lib/telegram/integration/send-test-message";

export const POST = withTenant(
  async (req, { tenantId }) => {
    const { chat_id } = await parseJsonBody(req, testMessageRequestSchema);
    return json(await sendTestMessage(tenantId, chat_id));
  },
  { roles: MANAGER_ROLES },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
