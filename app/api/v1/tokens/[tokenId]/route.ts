// DELETE /api/v1/tokens/<id> — revoke an API token
import { revokeApiToken } from "@/lib/auth/manage-api-tokens";
import { noContent } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { MANAGER_ROLES } from "@/lib/schemas/auth";

export const DELETE = withTenant(
  async (_req, { tenantId, params }) => {
    await revokeApiToken(tenantId, String(params.tokenId));
    return noContent();
  },
  { roles: MANAGER_ROLES },
);

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethodsRefused({ DELETE });
