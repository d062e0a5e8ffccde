// Where `npm run build` puts the worker's bundle (scripts/build-worker.mjs writes it,
// scripts/build.mjs checks for it, scripts/worker.mjs runs it).
import path from "node:path";

export const WORKER_BUNDLE = path.resolve(import.meta.dirname, "../.next/worker/main.mjs");
