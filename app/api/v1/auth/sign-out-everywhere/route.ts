// POST /api/v1/auth/sign-out-everywhere — ends every browser session of the caller, this one included
import { signOutEverywhere } from "@/lib/auth/end-sessions";
import { noContent } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { ROLES } from "@/lib/schemas/auth";

export const POST = withTenant(
  async (_req, { userId }) => {
    await signOutEverywhere(userId);
    return noContent();
  },
  { roles: ROLES },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
