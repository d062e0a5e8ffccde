import "server-only";
import { clientIp } from "@/lib/http/client-ip";
import { errorJson } from "@/lib/http/api-route";
import { loginWaitSeconds } from "./login-throttle";

/**
 * next-auth can only answer a refused sign-in with a redirect; while the guessing
 * throttle is closed the form gets a real 429 with Retry-After instead.
 */
export async function rejectThrottledSignIn(req: Request): Promise<Response | null> {
  if (!new URL(req.url).pathname.endsWith("/callback/credentials")) return null;
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = form?.get("email");
  if (typeof email !== "string") return null;
  const retryAfter = await loginWaitSeconds(clientIp(req), email);
  if (retryAfter === 0) return null;
  return errorJson(429, "rate_limited", "Too many requests, try again later", { "Retry-After": String(retryAfter) });
}
