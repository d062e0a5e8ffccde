import { inject, describe, expect, it } from "vitest";
import { addMember, api, registerOwner, uniqueClientIp } from "../support/api-client";
import { sessionCookieIn, sessionFor, signIn, withCookie } from "../support/browser-session";

const NEW_PASSWORD = "a brand new password";

describe("POST /api/v1/auth/password", () => {
  it("changes the password, keeps this session and ends the user's other sessions at once", async () => {
    const owner = await registerOwner();
    const here = await sessionFor(owner);
    const elsewhere = await sessionFor(owner);
    for (const cookie of [here, elsewhere])
      expect((await withCookie("GET", "/api/v1/tenant", cookie)).status).toBe(200);

    const changed = await withCookie("POST", "/api/v1/auth/password", here, {
      current_password: owner.password,
      new_password: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    const renewed = sessionCookieIn(changed.headers);
    expect(renewed).toBeDefined();

    expect((await withCookie("GET", "/api/v1/tenant", renewed ?? "")).status).toBe(200);
    expect((await withCookie("GET", "/api/v1/tenant", elsewhere)).status).toBe(401);
    expect((await withCookie("GET", "/dashboard", elsewhere)).headers.get("location")).toMatch(/\/sign-in$/);
    // The cookie this browser held before the change is one of the ended sessions too.
    expect((await withCookie("GET", "/api/v1/tenant", here)).status).toBe(401);

    expect(
      (await api("POST", "/api/v1/auth/token", { body: { email: owner.email, password: owner.password } })).status,
    ).toBe(401);
    expect((await signIn(owner.email, owner.password)).sessionCookie).toBeUndefined();
    expect(
      (await api("POST", "/api/v1/auth/token", { body: { email: owner.email, password: NEW_PASSWORD } })).status,
    ).toBe(200);
    const fresh = await sessionFor({ email: owner.email, password: NEW_PASSWORD });
    expect((await withCookie("GET", "/api/v1/tenant", fresh)).status).toBe(200);
    // API tokens are revoked one by one, not by a password change.
    expect((await api("GET", "/api/v1/tenant", { token: owner.token })).status).toBe(200);
  });

  it("refuses a wrong current password with 400 and a short new one with 422, changing nothing", async () => {
    const owner = await registerOwner();
    const cookie = await sessionFor(owner);
    const wrong = await withCookie("POST", "/api/v1/auth/password", cookie, {
      current_password: "not my password",
      new_password: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ detail: "Current password is incorrect", code: "wrong_password" });
    const short = await withCookie("POST", "/api/v1/auth/password", cookie, {
      current_password: owner.password,
      new_password: "short",
    });
    expect(short.status).toBe(422);
    expect((await withCookie("POST", "/api/v1/auth/password", cookie, {})).status).toBe(422);
    expect((await withCookie("GET", "/api/v1/tenant", cookie)).status).toBe(200);
    expect(
      (await api("POST", "/api/v1/auth/token", { body: { email: owner.email, password: owner.password } })).status,
    ).toBe(200);
  });

  it("counts wrong current passwords against the sign-in throttle", async () => {
    const owner = await registerOwner();
    const fromOneAddress = { "x-forwarded-for": uniqueClientIp() };
    const attempt = (current: string) =>
      api("POST", "/api/v1/auth/password", {
        token: owner.token,
        headers: fromOneAddress,
        body: { current_password: current, new_password: NEW_PASSWORD },
      });
    for (let n = 0; n < 5; n += 1) expect((await attempt(`guess ${n}`)).status).toBe(400);
    const throttled = await attempt(owner.password);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(
      (await api("POST", "/api/v1/auth/token", { body: { email: owner.email, password: owner.password } })).status,
    ).toBe(200);
  });

  it("works for a member with an API token, and ends that member's browser sessions", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const cookie = await sessionFor(member);
    const changed = await api("POST", "/api/v1/auth/password", {
      token: member.token,
      body: { current_password: member.password, new_password: NEW_PASSWORD },
    });
    expect(changed.status).toBe(204);
    expect(sessionCookieIn(changed.headers)).toBeUndefined();
    expect((await withCookie("GET", "/api/v1/leads", cookie)).status).toBe(401);
    expect((await api("GET", "/api/v1/leads", { token: member.token })).status).toBe(200);
    // Only the caller's own sessions end.
    expect((await api("GET", "/api/v1/leads", { token: owner.token })).status).toBe(200);
  });

  it("needs a signed-in caller", async () => {
    expect(
      (await api("POST", "/api/v1/auth/password", { body: { current_password: "x", new_password: NEW_PASSWORD } }))
        .status,
    ).toBe(401);
  });
});

describe("POST /api/v1/auth/sign-out-everywhere", () => {
  it("ends every session of the user at once, this one included, and sign-in works again", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const adminCookie = await sessionFor(admin);
    const here = await sessionFor(owner);
    const elsewhere = await sessionFor(owner);
    expect((await withCookie("POST", "/api/v1/auth/sign-out-everywhere", here, {})).status).toBe(204);
    for (const cookie of [here, elsewhere]) {
      expect((await withCookie("GET", "/api/v1/tenant", cookie)).status).toBe(401);
      expect((await withCookie("GET", "/dashboard", cookie)).headers.get("location")).toMatch(/\/sign-in$/);
    }
    // Another user's session and the user's API token are untouched.
    expect((await withCookie("GET", "/api/v1/tenant", adminCookie)).status).toBe(200);
    expect((await api("GET", "/api/v1/tenant", { token: owner.token })).status).toBe(200);

    const again = await sessionFor(owner);
    expect((await withCookie("GET", "/api/v1/tenant", again)).status).toBe(200);
  });

  it("cannot be undone from the browser through next-auth's session update", async () => {
    const owner = await registerOwner();
    const cookie = await sessionFor(owner);
    expect((await withCookie("POST", "/api/v1/auth/sign-out-everywhere", cookie, {})).status).toBe(204);

    const base = inject("appUrl");
    const csrf = await fetch(`${base}/api/auth/csrf`, { headers: { cookie } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const update = await fetch(`${base}/api/auth/session`, {
      method: "POST",
      headers: { cookie: `${cookie}; ${csrfCookie}`, "content-type": "application/json", origin: base },
      body: JSON.stringify({ csrfToken, data: { sessionVersion: 1 } }),
    });
    const updated = sessionCookieIn(update.headers) ?? cookie;
    expect((await withCookie("GET", "/api/v1/tenant", updated)).status).toBe(401);
  });
});
