// Builds the production app (Next's build, then the worker's bundle) when its sources changed
// since the last build (or always with --force), after generating the Prisma clients.
// `npm run build` and `npm start` use it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { WORKER_BUNDLE } from "./worker-bundle.mjs";

const root = path.resolve(import.meta.dirname, "..");
const stampFile = path.join(root, ".next/leadgram-source-hash");
const SOURCES = [
  "app",
  "components",
  "hooks",
  "lib",
  "prisma/schema.prisma",
  "scripts/build-worker.mjs",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const SKIP = new Set(["generated", "node_modules"]);

function* files(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isFile()) {
    yield entry;
    return;
  }
  for (const child of readdirSync(full).sort()) {
    if (!SKIP.has(child)) yield* files(path.join(entry, child));
  }
}

function sourceHash() {
  const hash = createHash("sha256");
  for (const entry of SOURCES) {
    for (const file of files(entry)) hash.update(file).update(readFileSync(path.join(root, file)));
  }
  return hash.digest("hex");
}

export function runNode(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

export function buildIfStale({ force = false } = {}) {
  runNode([path.join(root, "scripts/prisma-generate.mjs")]);
  const hash = sourceHash();
  const upToDate =
    existsSync(path.join(root, ".next/BUILD_ID")) &&
    existsSync(WORKER_BUNDLE) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8") === hash;
  if (upToDate && !force) return;
  console.log("Building Leadgram…");
  runNode([path.join(root, "node_modules/next/dist/bin/next"), "build"]);
  // After Next's build, which empties .next/. In a process of its own, like Next's: esbuild is
  // a development dependency, and `npm start` imports this module on a built tree too.
  runNode([path.join(root, "scripts/build-worker.mjs")]);
  writeFileSync(stampFile, hash);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  buildIfStale({ force: process.argv.includes("--force") });
