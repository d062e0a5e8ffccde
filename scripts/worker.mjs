// `npm run worker`: the delivery worker (lib/worker/main.ts), from the bundle that
// `npm run build` makes (scripts/build-worker.mjs), on plain Node.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { WORKER_BUNDLE } from "./worker-bundle.mjs";

if (!existsSync(WORKER_BUNDLE)) {
  console.error(
    `Leadgram worker: no build at ${path.relative(process.cwd(), WORKER_BUNDLE)}; run npm run build first.`,
  );
  process.exit(1);
}
await import(pathToFileURL(WORKER_BUNDLE).href);
