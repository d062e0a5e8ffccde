import "server-only";
import { ApiError } from "@/lib/http/api-error";
import type { TokenResponse } from "@/lib/schemas/auth";
import { issueApiToken } from "./api-tokens";
import { authenticateWithPassword } from "./authenticate";
import { membershipOf } from "./membership-of";

export async function issueTokenForCredentials(email: string, password: string, req: Request): Promise<TokenResponse> {
  const result = await authenticateWithPassword(email, password, req);
  if (!result.ok && result.reason === "throttled") throw ApiError.tooManyRequests(result.retryAfterSeconds);
  if (!result.ok)
    throw new ApiError(401, "invalid_credentials", "Incorrect email or password", { "WWW-Authenticate": "Bearer" });
  const membership = await membershipOf(result.user.id);
  if (!membership)
    throw new ApiError(401, "invalid_credentials", "Incorrect email or password", { "WWW-Authenticate": "Bearer" });
  const { token } = await issueApiToken({
    tenantId: membership.tenantId,
    userId: result.user.id,
    name: "API (password grant)",
  });
  return { access_token: token, token_type: "bearer" };
}
