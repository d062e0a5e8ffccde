import { inject } from "vitest";
import "./provided-context";

/** Signs in through next-auth's credentials endpoint as the sign-in page does; the session cookie, if any. */
export async function sessionCookieFor(email: string, password: string, clientIp: string): Promise<string | undefined> {
  const base = inject("appUrl");
  const csrfResponse = await fetch(`${base}/api/auth/csrf`, { headers: { "x-forwarded-for": clientIp } });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, "x-forwarded-for": clientIp },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .find((cookie) => cookie.startsWith("authjs.session-token="));
}
