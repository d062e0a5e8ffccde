import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, registerOwner, uniqueClientIp, uniqueEmail } from "../support/api-client";
import { inParallel, tally } from "../support/parallel";

/** A fresh IPv6 /64 (documentation prefix); addresses in it from an interface id's hex digits. */
function ipv6Network() {
  const hex = randomUUID().replace(/-/g, "");
  const prefix = `2001:db8:${hex.slice(0, 4)}:${hex.slice(4, 8)}`;
  return (interfaceId: string) => `${prefix}::${interfaceId}`;
}

describe("sign-in throttle", () => {
  it("lets at most 5 of 15 parallel wrong guesses be checked; the rest get 429", async () => {
    const owner = await registerOwner();
    const client = { "x-forwarded-for": uniqueClientIp() };
    const statuses = await Promise.all(
      Array.from(
        { length: 15 },
        async (_, index) =>
          (
            await api("POST", "/api/v1/auth/token", {
              body: { email: owner.email, password: `guess ${index}` },
              headers: client,
            })
          ).status,
      ),
    );
    const counts = tally(statuses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect(counts[429]).toBe(15 - (counts[401] ?? 0));
    const right = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: client,
    });
    expect(right.status).toBe(429);
  });

  it("gives a right password its point back: a user signing in often is never throttled", async () => {
    const owner = await registerOwner();
    const client = { "x-forwarded-for": uniqueClientIp() };
    for (let attempt = 0; attempt < 35; attempt += 1) {
      const response = await api("POST", "/api/v1/auth/token", {
        body: { email: owner.email, password: owner.password },
        headers: client,
      });
      expect(response.status).toBe(200);
    }
  });

  it("counts an IPv6 client per /64, so rotating addresses within it does not evade the limit", async () => {
    const owner = await registerOwner();
    const address = ipv6Network();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await api("POST", "/api/v1/auth/token", {
        body: { email: owner.email, password: "nope" },
        headers: { "x-forwarded-for": address(`${attempt}`) },
      });
      expect(response.status).toBe(401);
    }
    const blocked = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: { "x-forwarded-for": address("ffff:1:2") },
    });
    expect(blocked.status).toBe(429);
    const otherNetwork = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: { "x-forwarded-for": ipv6Network()("1") },
    });
    expect(otherNetwork.status).toBe(200);
  });
});

describe("sign-up throttle", () => {
  const signUp = (clientIp: string) =>
    api("POST", "/api/v1/auth/register", {
      body: { email: uniqueEmail("signup"), password: "password123", site_name: "Site" },
      headers: { "x-forwarded-for": clientIp },
    });

  it("refuses the 11th sign-up from one address within an hour with 429 and Retry-After", async () => {
    const clientIp = uniqueClientIp();
    for (let index = 0; index < 10; index += 1) expect((await signUp(clientIp)).status).toBe(201);
    const refused = await signUp(clientIp);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ detail: "Too many requests, try again later", code: "rate_limited" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signUp(uniqueClientIp())).status).toBe(201);
  });

  it("counts an IPv6 /64 as one client", async () => {
    const address = ipv6Network();
    for (let index = 0; index < 10; index += 1) expect((await signUp(address(`${index + 1}`))).status).toBe(201);
    expect((await signUp(address("abcd:0:1"))).status).toBe(429);
  });
});

describe("lead throttles", () => {
  const submit = (siteKey: string, body: unknown, clientIp = uniqueClientIp()) =>
    api("POST", `/api/v1/public/leads/${siteKey}`, { body, headers: { "x-forwarded-for": clientIp } });

  it("counts an IPv6 /64 as one visitor", async () => {
    const owner = await registerOwner();
    const address = ipv6Network();
    for (let index = 0; index < 10; index += 1)
      expect((await submit(owner.siteKey, { name: `Lead ${index}` }, address(`${index + 1}`))).status).toBe(201);
    expect((await submit(owner.siteKey, { name: "Rotated address" }, address("beef:1"))).status).toBe(429);
    expect((await submit(owner.siteKey, { name: "Another network" }, ipv6Network()("1"))).status).toBe(201);
  });

  it("spends the site's minute only on accepted leads, and parallel submissions never pass it", async () => {
    const owner = await registerOwner();
    const perSite = 600; // LEADS_PER_MINUTE_PER_SITE's default, which the test server runs with
    const junk = await inParallel(
      perSite + 50,
      16,
      async () => (await submit(owner.siteKey, { email: "not an email" })).status,
    );
    expect(tally(junk)).toEqual({ 422: perSite + 50 });

    const leads = await inParallel(
      perSite + 20,
      16,
      async (index) => (await submit(owner.siteKey, { name: `Lead ${index}` })).status,
    );
    expect(tally(leads)).toEqual({ 201: perSite, 429: 20 });
  }, 120_000);
});
