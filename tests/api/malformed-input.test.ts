import { describe, expect, it } from "vitest";
import { api, registerOwner } from "../support/api-client";

// Inputs the fuzz suite (no-5xx-fuzz.test.ts) found answered with 500, one by one: they are
// refused with a 4xx `{"detail": ...}`, or (in a lead) cleaned and kept.

describe("a URL path that does not decode to text", () => {
  it("is refused with 400 before any route or page runs (Next answered 500)", async () => {
    const owner = await registerOwner();
    for (const path of ["/api/v1/leads/%FF", "/api/v1/tokens/%ED%A0%80", "/api/v1/%C3%28", "/api/auth/%FF", "/demo/%FF", `/api/v1/public/leads/${owner.siteKey}%FF`]) {
      const response = await api("GET", path, { token: owner.token });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String) });
    }
  });

  it("is refused with 400 when a segment holds a NUL (PostgreSQL answered 500)", async () => {
    const owner = await registerOwner();
    for (const [method, path] of [
      ["GET", "/api/v1/leads/a%00b"],
      ["DELETE", "/api/v1/tokens/%00"],
      ["POST", `/api/v1/public/leads/${owner.siteKey}%00`],
      ["GET", "/demo/%00"],
    ] as const) {
      const response = await api(method, path, { token: owner.token, body: method === "POST" ? { name: "Ivan" } : undefined });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String) });
    }
  });
});
