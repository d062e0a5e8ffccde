import { inject, describe, expect, it } from "vitest";
import { registerOwner, uniqueClientIp } from "../support/api-client";

/** Signs in through next-auth's credentials endpoint as the sign-in page does. */
async function signIn(email: string, password: string, clientIp: string) {
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
  const sessionCookie = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .find((cookie) => cookie.startsWith("authjs.session-token="));
  return { response, sessionCookie };
}

describe("browser session (next-auth cookie)", () => {
  it("signs in with email and password and the cookie authenticates /api/v1", async () => {
    const owner = await registerOwner("Cookie site");
    const { response, sessionCookie } = await signIn(owner.email, owner.password, uniqueClientIp());
    expect(response.status).toBe(302);
    expect(sessionCookie).toBeDefined();
    const tenant = await fetch(`${inject("appUrl")}/api/v1/tenant`, { headers: { cookie: sessionCookie ?? "" } });
    expect(tenant.status).toBe(200);
    expect(((await tenant.json()) as { id: string }).id).toBe(owner.tenantId);
  });

  it("does not sign in with a wrong password", async () => {
    const owner = await registerOwner();
    const { sessionCookie } = await signIn(owner.email, "wrong password", uniqueClientIp());
    expect(sessionCookie).toBeUndefined();
  });

  it("answers 429 with Retry-After after repeated failures", async () => {
    const owner = await registerOwner();
    const clientIp = uniqueClientIp();
    for (let attempt = 0; attempt < 5; attempt += 1) await signIn(owner.email, `guess ${attempt}`, clientIp);
    const { response, sessionCookie } = await signIn(owner.email, owner.password, clientIp);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sessionCookie).toBeUndefined();
  });

  it("rejects a forged session cookie", async () => {
    const tenant = await fetch(`${inject("appUrl")}/api/v1/tenant`, { headers: { cookie: "authjs.session-token=forged" } });
    expect(tenant.status).toBe(401);
  });
});
