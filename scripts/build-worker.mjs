// Bundles `npm run worker` (lib/worker/main.ts) ahead of time into .next/worker/main.mjs,
// so a worker runs on plain Node: no TypeScript compiled at start (tsx is a development
// dependency, and it cost the worker about 37 MB), and nothing from Next.
//
// Only the app's own code is bundled. Packages stay imports resolved from node_modules at
// run time, from the bundle's folder upwards: native and wasm ones (better-sqlite3, pg,
// Prisma's query compiler runtime) load as they do for the server. The generated Prisma
// clients (lib/db/generated/) are app code and bundled, with one change: the query
// compiler's WebAssembly is read from a .wasm file beside the bundle (below).
//
// Run by scripts/build.mjs after `next build`, which empties .next/ first.
import { build } from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { WORKER_BUNDLE } from "./worker-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");

/**
 * How the generated client loads the query compiler's WebAssembly on Node: a module whose
 * only export is the binary as a base64 string, decoded at start. Prisma 7 has no option to
 * load it from a file (only `?module` imports, for edge runtimes). That module's source and
 * the string it exports stay in the heap for the life of the process, twice the binary's
 * size in base64: 4.4 MB of the worker's 30 MB of live heap, which V8's heap growth then
 * multiplies. From a file, the bytes are read once, compiled, and let go.
 */
const BASE64_COMPILER_LOAD =
  /getQueryCompilerWasmModule: async \(\) => \{\s*const \{ wasm \} = await import\("(@prisma\/client\/runtime\/([\w.]+)\.wasm-base64\.mjs)"\)\s*return await decodeBase64AsWasm\(wasm\)\s*\},/;

/**
 * A generated client's source (lib/db/generated/<provider>/internal/class.ts) with its
 * compiler read from `<name>.wasm` in the bundle's folder instead; `base64Module` is the
 * module it no longer imports, to write that file from.
 */
export function compilerFromFile(source, file) {
  const found = BASE64_COMPILER_LOAD.exec(source);
  // A Prisma upgrade that changes this must be looked at, not bundled past.
  if (!found) throw new Error(`${file}: the query compiler is no longer loaded as build-worker.mjs expects`);
  const [loader, base64Module, name] = found;
  const fileName = `${name}.wasm`;
  const fromFile = `getQueryCompilerWasmModule: async () => {
    const { readFile } = await import("node:fs/promises")
    return new WebAssembly.Module(await readFile(new URL(${JSON.stringify(`./${fileName}`)}, import.meta.url)))
  },`;
  return { contents: source.replace(loader, fromFile), base64Module, fileName };
}

/** esbuild's side of compilerFromFile: notes in `compilerFiles` each base64 module → its file. */
function generatedClientsLoadCompilerFromFile(compilerFiles) {
  return {
    name: "prisma-query-compiler-from-file",
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]lib[\\/]db[\\/]generated[\\/]\w+[\\/]internal[\\/]class\.ts$/ }, async (args) => {
        const rewritten = compilerFromFile(await readFile(args.path, "utf8"), path.relative(root, args.path));
        compilerFiles.set(rewritten.base64Module, rewritten.fileName);
        return { contents: rewritten.contents, loader: "ts" };
      });
    },
  };
}

/** Bundles the worker into `outfile` (a test builds elsewhere), with the compilers beside it. */
export async function buildWorker(outfile = WORKER_BUNDLE) {
  const compilerFiles = new Map();
  await build({
    absWorkingDir: root,
    entryPoints: ["lib/worker/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    // The oldest Node that package.json's engines allow.
    target: "node20.9",
    // As Next's server build resolves imports. The packages themselves are resolved at run
    // time, where `npm run worker` passes the same condition (`server-only` is empty under it).
    conditions: ["react-server"],
    packages: "external",
    // tsconfig.json's paths give the `@/` alias.
    tsconfig: "tsconfig.json",
    // Not minified: a stack frame's function names and the `// lib/...` comments above each
    // module stay readable even without the map. The map (no sources inside: they are in the
    // release folder) lets `node --enable-source-maps` report lib/*.ts lines.
    sourcemap: "linked",
    sourcesContent: false,
    logLevel: "warning",
    plugins: [generatedClientsLoadCompilerFromFile(compilerFiles)],
  });
  for (const [base64Module, fileName] of compilerFiles) {
    const { wasm } = await import(base64Module);
    await writeFile(path.join(path.dirname(outfile), fileName), Buffer.from(wasm, "base64"));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildWorker();
