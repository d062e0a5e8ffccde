// `npm run worker`: the delivery worker (lib/worker/main.ts), from the bundle that
// `npm run build` makes (scripts/build-worker.mjs), on plain Node.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const bundle = path.resolve(import.meta.dirname, "../.next/worker/main.mjs");
if (!existsSync(bundle)) {
  console.error(`Leadgram worker: no build at ${path.relative(process.cwd(), bundle)}; run npm run build first.`);
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
