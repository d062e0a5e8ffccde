import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiErrorCodeSchema } from "@/lib/schemas/errors";

// The server's own refusals (scripts/*.mjs, before Next runs) are plain JavaScript writing
// `{"detail": ..., "code": "..."}` by hand; the TypeScript enum cannot check their strings, this does.
const scripts = readdirSync(import.meta.dirname).filter((name) => name.endsWith(".mjs"));
const source = (name: string) => readFileSync(path.join(import.meta.dirname, name), "utf8");

describe("error codes written by the server scripts", () => {
  const answering = scripts.filter((name) => /\bdetail:/.test(source(name)));

  it("finds the scripts that answer errors themselves", () => {
    expect(answering).toEqual(
      expect.arrayContaining(["malformed-path.mjs", "request-limits.mjs", "unknown-method.mjs"]),
    );
  });

  it.each(answering)("%s gives every error body a code from the shared enum", (name) => {
    const text = source(name);
    // An error body from `detail:` to its closing brace, on one line or (as Prettier wraps it) several.
    const bodies = [...text.matchAll(/\{\s*detail:(?:[^{}]|\$\{[^}]*\})*\}/g)].map(([body]) => body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      const code = /\bcode: "([^"]+)"/.exec(body)?.[1];
      expect(apiErrorCodeSchema.options, body).toContain(code);
    }
  });
});
