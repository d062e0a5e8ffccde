import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Russian is the default and English must say everything it says: a key missing in one
// catalog is an error on the page in that language.
const dir = path.join(import.meta.dirname, "messages");
const namespaces = readdirSync(path.join(dir, "ru")).sort();

function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

const catalog = (locale: string, namespace: string): unknown =>
  JSON.parse(readFileSync(path.join(dir, locale, namespace), "utf8"));

describe("message catalogs", () => {
  it("have the same namespaces in Russian and English", () => {
    expect(readdirSync(path.join(dir, "en")).sort()).toEqual(namespaces);
  });

  it.each(namespaces)("%s: the same keys in Russian and English", (namespace) => {
    expect(keyPaths(catalog("en", namespace)).sort()).toEqual(keyPaths(catalog("ru", namespace)).sort());
  });
});
