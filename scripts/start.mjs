// `npm start`: build when the sources changed since the last build, then serve the
// production build in this process. Migrations and first-start secrets happen inside the
// server (lib/start-services.ts), so `npm run serve` on a built tree does the same.
import { buildIfStale } from "./build.mjs";

buildIfStale();
await import("./server.mjs");
