import { describe, expect, inject, it } from "vitest";
import { registerOwner } from "../support/api-client";

const get = (path: string) => fetch(`${inject("appUrl")}${path}`, { redirect: "manual" });

/** The directives of a Content-Security-Policy header by name. */
function directives(policy: string | null): Map<string, string> {
  return new Map(
    (policy ?? "").split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values.join(" ")] as [string, string];
    }),
  );
}

function expectCommonHeaders(response: Response, label: string) {
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), label).toBe("strict-origin-when-cross-origin");
  // The test server's PUBLIC_API_URL is https, so it is served over https.
  expect(response.headers.get("strict-transport-security"), label).toBe("max-age=31536000");
  expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors"), label).toBe("'none'");
}

describe("security headers", () => {
  it("gives every page a nonce-based CSP whose nonce is on the page's scripts, fresh on every request", async () => {
    const owner = await registerOwner("Headers site");
    const nonces = new Set<string>();
    for (const path of ["/", "/sign-in", "/sign-up", `/demo/${owner.siteKey}`, "/dashboard", "/no-such-page"]) {
      const response = await get(path);
      expectCommonHeaders(response, path);
      const policy = directives(response.headers.get("content-security-policy"));
      const nonce = /'nonce-([^']+)'/.exec(policy.get("script-src") ?? "")?.[1];
      expect(nonce, path).toBeDefined();
      expect(policy.get("script-src"), path).not.toContain("unsafe-inline");
      expect(policy.get("object-src"), path).toBe("'none'");
      expect(policy.get("form-action"), path).toBe("'self'");
      nonces.add(nonce ?? "");
      if (response.status === 200) {
        const html = await response.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length, path).toBeGreaterThan(0);
        for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
      }
    }
    expect(nonces.size).toBe(6);
  });

  it("puts the headers and a locked-down CSP on API answers, errors and redirects included", async () => {
    const owner = await registerOwner("Headers API");
    const answers = [
      await get("/api/v1/health"),
      await get("/api/v1/tenant"),
      await get("/api/v1/no-such-route"),
      await fetch(`${inject("appUrl")}/api/v1/public/leads/${owner.siteKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    ];
    for (const response of answers) {
      const label = `${response.url} ${response.status}`;
      expectCommonHeaders(response, label);
      expect(directives(response.headers.get("content-security-policy")).get("default-src"), label).toBe("'none'");
    }
  });
});
