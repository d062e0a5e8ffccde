import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorker, compilerFromFile } from "./build-worker.mjs";

const root = path.resolve(import.meta.dirname, "..");
const PROVIDERS = ["postgresql", "sqlite"];

describe("the worker's bundle", () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "leadgram-worker-build-"));
    await buildWorker(path.join(dir, "main.mjs"));
    bundle = readFileSync(path.join(dir, "main.mjs"), "utf8");
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads each query compiler from a .wasm file beside it, not from Prisma's base64 module", () => {
    expect(bundle).not.toContain("wasm-base64");
    expect(bundle).not.toContain("decodeBase64AsWasm");
    const wasmFiles = readdirSync(dir).filter((file) => file.endsWith(".wasm"));
    expect(wasmFiles.sort()).toEqual(PROVIDERS.map((provider) => `query_compiler_small_bg.${provider}.wasm`).sort());
    for (const file of wasmFiles) expect(bundle).toContain(`new URL("./${file}", import.meta.url)`);
  });

  it("writes the same compilers Prisma ships, each a valid WebAssembly module", async () => {
    for (const provider of PROVIDERS) {
      const name = `query_compiler_small_bg.${provider}`;
      const { wasm } = (await import(`@prisma/client/runtime/${name}.wasm-base64.mjs`)) as { wasm: string };
      const written = readFileSync(path.join(dir, `${name}.wasm`));
      expect(written.equals(Buffer.from(wasm, "base64"))).toBe(true);
      expect(WebAssembly.validate(written)).toBe(true);
    }
  });
});

describe("compilerFromFile", () => {
  const generated = readFileSync(path.join(root, "lib/db/generated/postgresql/internal/class.ts"), "utf8");

  it("changes only how the generated client loads its compiler", () => {
    const { contents, base64Module, fileName } = compilerFromFile(generated, "class.ts");
    expect(base64Module).toBe("@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs");
    expect(fileName).toBe("query_compiler_small_bg.postgresql.wasm");
    expect(contents).not.toContain(base64Module);
    expect(contents.length - generated.length).toBeLessThan(200);
    expect(contents.replace(/getQueryCompilerWasmModule: [^]*?\n  \},/, "")).toBe(
      generated.replace(/getQueryCompilerWasmModule: [^]*?\n  \},/, ""),
    );
  });

  it("fails the build when a Prisma upgrade loads the compiler some other way", () => {
    const changed = generated.replace("decodeBase64AsWasm(wasm)", "decodeWasm(wasm)");
    expect(() => compilerFromFile(changed, "lib/db/generated/postgresql/internal/class.ts")).toThrow(
      "lib/db/generated/postgresql/internal/class.ts: the query compiler is no longer loaded as build-worker.mjs expects",
    );
  });
});
