import { inject } from "vitest";
import { uniqueClientIp, type ApiResponse } from "./api-client";

/** Signs in through next-auth's credentials endpoint as the sign-in page does. */
export async function signIn(email: string, password: string, clientIp = uniqueClientIp()) {
  const base = inject("appUrl");
  const csrfResponse = await fetch(`${base}/api/auth/csrf`, { headers: { "x-forwarded-for": clientIp } });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, "x-forwarded-for": clientIp },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  return { response, sessionCookie: sessionCookieIn(response.headers) };
}

/** The `authjs.session-token=...` pair a response sets, if any. */
export function sessionCookieIn(headers: Headers): string | undefined {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .find((cookie) => cookie.startsWith("authjs.session-token="));
}

/**
 * A request as the browser's settings page makes it: the session cookie, a JSON body and
 * the app's own Origin (cookie-authenticated state changes need both).
 */
export async function withCookie(method: string, path: string, cookie: string, body?: unknown): Promise<ApiResponse> {
  const base = inject("appUrl");
  const headers: Record<string, string> = { cookie, origin: base, "x-forwarded-for": uniqueClientIp() };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // a page, not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Signs in and returns the session cookie, failing the test when sign-in does not work. */
export async function sessionFor(account: { email: string; password: string }): Promise<string> {
  const { sessionCookie } = await signIn(account.email, account.password);
  if (!sessionCookie) throw new Error(`sign-in failed for ${account.email}`);
  return sessionCookie;
}
