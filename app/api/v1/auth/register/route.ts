// POST /api/v1/auth/register — sign up: a user, their site (tenant) and the site_owner role
import { apiRoute, json } from "@/lib/http/api-route";
import { clientIp } from "@/lib/http/client-ip";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { registerRequestSchema } from "@/lib/schemas/auth";
import { registerAccount } from "@/lib/tenants/register-account";
import { throttleSignup } from "@/lib/tenants/signup-throttle";

export const POST = apiRoute(async (req) => {
  const input = await parseJsonBody(req, registerRequestSchema);
  await throttleSignup(clientIp(req));
  return json(await registerAccount(input), 201);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
