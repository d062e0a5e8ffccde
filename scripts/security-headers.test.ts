import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.mjs";

describe("securityHeaders", () => {
  it("always forbids sniffing and framing and limits the referrer", () => {
    const headers = securityHeaders(undefined);
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
  });

  it("adds HSTS only when the public URL is https", () => {
    expect(securityHeaders("https://leads.example.com")["Strict-Transport-Security"]).toBe("max-age=31536000");
    for (const url of [undefined, "", "http://leads.example.com"])
      expect(securityHeaders(url)).not.toHaveProperty("Strict-Transport-Security");
  });
});
