import { describe, expect, it } from "vitest";
import { registerResponseSchema, tokenResponseSchema } from "@/lib/schemas/auth";
import { api, registerOwner, uniqueEmail } from "../support/api-client";

describe("POST /api/v1/auth/register", () => {
  it("creates the user, their site with a site key, and makes them site_owner", async () => {
    const email = uniqueEmail();
    const response = await api("POST", "/api/v1/auth/register", {
      body: { email: email.toUpperCase(), password: "password123", site_name: "Рога и копыта" },
    });
    expect(response.status).toBe(201);
    const body = registerResponseSchema.parse(response.body);
    expect(body.user.email).toBe(email);
    expect(body.tenant.name).toBe("Рога и копыта");
    expect(body.tenant.site_key).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(body.role).toBe("site_owner");
    expect(body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(response.body as object).sort()).toEqual(["role", "tenant", "user"]);
  });

  it("answers 409 for an email that is already registered, in any letter case", async () => {
    const email = uniqueEmail();
    await api("POST", "/api/v1/auth/register", { body: { email, password: "password123", site_name: "A" } });
    const again = await api("POST", "/api/v1/auth/register", {
      body: { email: email.toUpperCase(), password: "password123", site_name: "B" },
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "Email already registered", code: "email_taken" });
  });

  it("answers 422 with FastAPI-style details for bad input", async () => {
    const response = await api("POST", "/api/v1/auth/register", { body: { email: "not-an-email", password: "short" } });
    expect(response.status).toBe(422);
    const detail = (response.body as { detail: { loc: unknown[]; msg: string; type: string }[] }).detail;
    expect(detail.map((issue) => issue.loc)).toEqual([
      ["body", "email"],
      ["body", "password"],
      ["body", "site_name"],
    ]);
    expect(detail[2]).toEqual({ loc: ["body", "site_name"], msg: "Field required", type: "missing" });
    for (const issue of detail) expect(typeof issue.msg).toBe("string");
  });

  it("answers 422, not 500, for broken JSON and for a non-object body", async () => {
    const broken = await api("POST", "/api/v1/auth/register", {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(422);
    expect(broken.body).toEqual({
      detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }],
      code: "validation_error",
    });
    const array = await api("POST", "/api/v1/auth/register", { body: [1, 2] });
    expect(array.status).toBe(422);
  });
});

describe("POST /api/v1/auth/token", () => {
  it("issues an opaque bearer token for the right password", async () => {
    const owner = await registerOwner();
    const response = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
    });
    expect(response.status).toBe(200);
    const body = tokenResponseSchema.parse(response.body);
    expect(body.token_type).toBe("bearer");
    expect(body.access_token).toMatch(/^lg_[A-Za-z0-9_-]{43}$/);
    expect(body.access_token).not.toBe(owner.token);
  });

  it("answers 401 with the contract's sentence for a wrong password or an unknown email", async () => {
    const owner = await registerOwner();
    for (const body of [
      { email: owner.email, password: "wrong password" },
      { email: uniqueEmail("nobody"), password: owner.password },
    ]) {
      const response = await api("POST", "/api/v1/auth/token", { body });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: "Incorrect email or password", code: "invalid_credentials" });
    }
  });

  it("throttles repeated failures with 429 and Retry-After, also for the right password", async () => {
    const owner = await registerOwner();
    const client = { "x-forwarded-for": "198.19.0.1" };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await api("POST", "/api/v1/auth/token", {
        body: { email: owner.email, password: `guess ${attempt}` },
        headers: client,
      });
      expect(response.status).toBe(401);
    }
    const blocked = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: client,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.body).toEqual({ detail: "Too many requests, try again later", code: "rate_limited" });

    // Another client address is not punished for the guesser.
    const elsewhere = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: { "x-forwarded-for": "198.19.0.2" },
    });
    expect(elsewhere.status).toBe(200);
  });

  it("ignores X-Forwarded-For entries that a client wrote in front of the trusted proxy's", async () => {
    const owner = await registerOwner();
    // The test client connects over loopback, the default trusted proxy: only the
    // rightmost entry is the proxy's word; rotating the left ones must not evade the limit.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await api("POST", "/api/v1/auth/token", {
        body: { email: owner.email, password: "nope" },
        headers: { "x-forwarded-for": `10.9.9.${attempt}, 198.19.1.1` },
      });
    }
    const blocked = await api("POST", "/api/v1/auth/token", {
      body: { email: owner.email, password: owner.password },
      headers: { "x-forwarded-for": "10.9.9.99, 198.19.1.1" },
    });
    expect(blocked.status).toBe(429);
  });
});

describe("authentication on /api/v1", () => {
  it("answers 401 with WWW-Authenticate without credentials or with a bad token", async () => {
    for (const token of [undefined, "lg_not-a-real-token", "garbage"]) {
      const response = await api("GET", "/api/v1/tenant", { token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: "Not authenticated", code: "not_authenticated" });
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("answers JSON 404 for unknown API paths", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const response = await api(method, "/api/v1/does-not-exist/at/all");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.body).toEqual({ detail: "Not Found", code: "not_found" });
    }
  });

  it("reports health with the database checked", async () => {
    const response = await api("GET", "/api/v1/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", database: "ok" });
  });
});
