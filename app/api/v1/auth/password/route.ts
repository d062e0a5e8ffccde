// POST /api/v1/auth/password — the signed-in user changes their password; their other sessions end
import { changePassword } from "@/lib/auth/end-sessions";
import { reissuedSessionCookie } from "@/lib/auth/session-cookie";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { withTenant } from "@/lib/http/with-tenant";
import { changePasswordSchema, ROLES } from "@/lib/schemas/auth";

export const POST = withTenant(
  async (req, { userId, via }) => {
    const sessionVersion = await changePassword(userId, await parseJsonBody(req, changePasswordSchema), req);
    const cookie = via === "session" ? await reissuedSessionCookie(req, sessionVersion) : null;
    return new Response(null, { status: 204, headers: cookie ? { "Set-Cookie": cookie } : {} });
  },
  { roles: ROLES },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
