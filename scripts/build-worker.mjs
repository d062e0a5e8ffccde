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
// Run by scripts/build.mjs after `next build`, which empties .next/ first.
import { build } from "esbuild";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { WORKER_BUNDLE } from "./worker-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");

export async function buildWorker() {
  await build({
    absWorkingDir: root,
    entryPoints: ["lib/worker/main.ts"],
    outfile: WORKER_BUNDLE,
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
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await buildWorker();
