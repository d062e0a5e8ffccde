import { describe, expect, inject, it } from "vitest";
import { api, registerOwner } from "../support/api-client";
import { sessionFor } from "../support/browser-session";

async function signedInOwner() {
  const owner = await registerOwner("CSRF site");
  return { owner, cookie: await sessionFor(owner) };
}

/** A request as a browser would send it with the session cookie attached. */
function withCookie(cookie: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return fetch(`${inject("appUrl")}${path}`, { method, headers: { cookie, ...headers }, body, redirect: "manual" });
}

const ownOrigin = () => new URL(inject("appUrl")).origin;
const rename = (name: string) => JSON.stringify({ name });

describe("CSRF: state changes authenticated by the session cookie", () => {
  it("refuses a cross-site or origin-less change with 403 and changes nothing", async () => {
    const { owner, cookie } = await signedInOwner();
    const json = { "content-type": "application/json" };
    for (const headers of [
      json,
      { ...json, origin: "https://evil.example" },
      { ...json, origin: "null" },
      { ...json, "sec-fetch-site": "cross-site" },
      { ...json, "sec-fetch-site": "same-site", origin: "https://sub.evil.example" },
    ]) {
      const response = await withCookie(cookie, "PATCH", "/api/v1/tenant", headers, rename("Hijacked"));
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toEqual({
        detail: "Cross-site request refused: send it from this site's own pages",
        code: "cross_site_request",
      });
    }
    const tenant = await api("GET", "/api/v1/tenant", { token: owner.token });
    expect(tenant.body.name).toBe("CSRF site");
  });

  it("refuses a same-origin body that is not JSON (a text/plain form post) with 403", async () => {
    const { owner, cookie } = await signedInOwner();
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await withCookie(
        cookie,
        "PATCH",
        "/api/v1/tenant",
        { "content-type": contentType, origin: ownOrigin() },
        rename("Hijacked"),
      );
      expect(response.status, contentType).toBe(403);
      expect(await response.json()).toEqual({ detail: "Send the body as application/json", code: "json_required" });
    }
    const noType = await withCookie(
      cookie,
      "POST",
      "/api/v1/tokens",
      { origin: ownOrigin() },
      JSON.stringify({ name: "x" }),
    );
    expect(noType.status).toBe(403);
    expect((await api("GET", "/api/v1/tenant", { token: owner.token })).body.name).toBe("CSRF site");
  });

  it("accepts the app's own JSON requests: by Origin, or by Sec-Fetch-Site without one, and body-less deletes", async () => {
    const { cookie } = await signedInOwner();
    const byOrigin = await withCookie(
      cookie,
      "PATCH",
      "/api/v1/tenant",
      { "content-type": "application/json; charset=utf-8", origin: ownOrigin() },
      rename("Renamed by origin"),
    );
    expect(byOrigin.status).toBe(200);
    expect(((await byOrigin.json()) as { name: string }).name).toBe("Renamed by origin");

    const byFetchSite = await withCookie(
      cookie,
      "POST",
      "/api/v1/tokens",
      { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      JSON.stringify({ name: "CI" }),
    );
    expect(byFetchSite.status).toBe(201);
    const { id } = (await byFetchSite.json()) as { id: string };

    const revoked = await withCookie(cookie, "DELETE", `/api/v1/tokens/${id}`, { origin: ownOrigin() });
    expect(revoked.status).toBe(204);
    const crossSiteDelete = await withCookie(cookie, "DELETE", `/api/v1/tokens/${id}`, {
      origin: "https://evil.example",
    });
    expect(crossSiteDelete.status).toBe(403);
  });

  it("leaves reads and bearer callers alone", async () => {
    const { owner, cookie } = await signedInOwner();
    const read = await withCookie(cookie, "GET", "/api/v1/tenant");
    expect(read.status).toBe(200);
    const bearer = await api("PATCH", "/api/v1/tenant", {
      token: owner.token,
      rawBody: rename("Renamed by a script"),
      headers: { "content-type": "text/plain", origin: "https://elsewhere.example" },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.body.name).toBe("Renamed by a script");
  });
});
