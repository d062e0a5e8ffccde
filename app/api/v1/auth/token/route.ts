// POST /api/v1/auth/token — exchange email and password for an API bearer token
import { issueTokenForCredentials } from "@/lib/auth/issue-token-for-credentials";
import { apiRoute, json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { parseJsonBody } from "@/lib/http/parse-request";
import { tokenRequestSchema } from "@/lib/schemas/auth";

export const POST = apiRoute(async (req) => {
  const { email, password } = await parseJsonBody(req, tokenRequestSchema);
  return json(await issueTokenForCredentials(email, password, req));
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ POST });
