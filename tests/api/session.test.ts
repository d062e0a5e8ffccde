import { inject, describe, expect, it } from "vitest";
import { registerOwner, uniqueClientIp } from "../support/api-client";
import { signIn } from "../support/browser-session";

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
    const tenant = await fetch(`${inject("appUrl")}/api/v1/tenant`, {
      headers: { cookie: "authjs.session-token=forged" },
    });
    expect(tenant.status).toBe(401);
  });
});
