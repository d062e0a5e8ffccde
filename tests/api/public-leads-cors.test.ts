import { describe, expect, it } from "vitest";
import { registerOwner } from "../support/api-client";
import { leadsOf, leadCount, submitJson, send, setAllowedOrigins } from "../support/public-leads";

// Cross-origin submissions: preflights and the site's allowed origins.

describe("CORS", () => {
  const preflight = (siteKey: string, origin: string) =>
    send(siteKey, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
  const list = (value: string | null) => (value ?? "").split(",").map((entry) => entry.trim().toLowerCase());

  it("answers a preflight and allows any origin when the site lists none", async () => {
    const owner = await registerOwner();
    const response = await preflight(owner.siteKey, "https://anything.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://anything.example");
    expect(list(response.headers.get("access-control-allow-methods"))).toContain("post");
    expect(list(response.headers.get("access-control-allow-headers"))).toContain("content-type");

    const posted = await submitJson(owner.siteKey, { name: "From anywhere" }, { origin: "https://anything.example" });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("access-control-allow-origin")).toBe("https://anything.example");
    expect(await leadCount(owner.tenantId)).toBe(1);
  });

  it("allows the site's origins and refuses others with 403", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://shop.example"]);

    const allowedPreflight = await preflight(owner.siteKey, "https://shop.example");
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(list(allowedPreflight.headers.get("access-control-allow-methods"))).toContain("post");
    expect(list(allowedPreflight.headers.get("access-control-allow-headers"))).toContain("content-type");

    const allowed = await submitJson(owner.siteKey, { name: "From the shop" }, { origin: "https://shop.example" });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");

    const otherPreflight = await preflight(owner.siteKey, "https://evil.example");
    expect(otherPreflight.status).toBe(403);
    const other = await submitJson(owner.siteKey, { name: "From elsewhere" }, { origin: "https://evil.example" });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ detail: "Origin not allowed", code: "origin_not_allowed" });
    const otherForm = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "From elsewhere" }),
      headers: { origin: "https://shop.example:8443" },
    });
    expect(otherForm.status).toBe(403);

    const [row, ...others] = await leadsOf(owner.tenantId);
    expect(others).toEqual([]);
    expect(row?.name).toBe("From the shop");
  });

  it("applies a change of the allowed origins to the very next submission", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://old.example"]);
    expect((await submitJson(owner.siteKey, { name: "Before" }, { origin: "https://old.example" })).status).toBe(201);

    await setAllowedOrigins(owner, ["https://new.example"]);
    expect((await submitJson(owner.siteKey, { name: "Old origin" }, { origin: "https://old.example" })).status).toBe(
      403,
    );
    expect((await submitJson(owner.siteKey, { name: "New origin" }, { origin: "https://new.example" })).status).toBe(
      201,
    );
    expect((await leadsOf(owner.tenantId)).map((row) => row.name)).toEqual(["Before", "New origin"]);
  });
});
