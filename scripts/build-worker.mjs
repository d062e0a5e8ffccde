// Bundles `npm run worker` (lib/worker/main.ts) ahead of time into .next/worker/main.mjs,
// so a worker runs on plain Node: no TypeScript compiled at start (tsx is a development
// dependency, and it cost the worker about 37 MB), and nothing from Next.
//
// Only the app's own code is bundled. Packages stay imports resolved from node_modules at
// run time, from the bundle's folder upwards: native and wasm ones (better-sqlite3, pg,
// Prisma's query compiler) load as they do for the server. The generated Prisma clients
// (lib/db/generated/) are app code and bundled; the query compiler they load is imported
// from @prisma/client/runtime like any package.
//
// The worker's Prisma client takes Prisma's "small" query compiler, as `compilerBuild =
// "small"` in the schema's generator would (the generated client differs in nothing else):
// its wasm memory is about 14 MB instead of 39, and its code half the size. It compiles
// queries more slowly, which the worker hardly does: its few query shapes stay in the plan
// cache. The web server keeps the fast one, where intake batches change shape.
//
// Run by scripts/build.mjs after `next build`, which empties .next/ first.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");

const smallQueryCompiler = {
  name: "small-query-compiler",
  setup(build) {
    build.onLoad({ filter: /lib[\\/]db[\\/]generated[\\/]\w+[\\/]internal[\\/]class\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const names = source.match(/query_compiler_fast_bg/g) ?? [];
      // The runtime module, the wasm module and the import name must all change together.
      if (names.length !== 3) throw new Error(`${args.path}: Prisma's query compiler is not named as expected`);
      return { contents: source.replaceAll("query_compiler_fast_bg", "query_compiler_small_bg"), loader: "ts" };
    });
  },
};
const workerBundle = path.join(root, ".next/worker/main.mjs");

export async function buildWorker() {
  await build({
    absWorkingDir: root,
    entryPoints: ["lib/worker/main.ts"],
    outfile: workerBundle,
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
    plugins: [smallQueryCompiler],
    logLevel: "warning",
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildWorker();
