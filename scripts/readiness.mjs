// Readiness for load balancers: GET /api/v1/health answers 503 while the server starts or
// drains, and the route's own answer (200 when the database answers) only in between.
import { randomUUID } from "node:crypto";

const HEALTH_PATH = "/api/v1/health";
const START_HEADER = "x-leadgram-start";

export function createReadiness() {
  /** "starting" until the server's own first health check passed, "draining" from SIGTERM on. */
  let phase = "starting";
  // Next starts the services (instrumentation.ts) on the first request it handles, and holds
  // every request until they run; the server asks for its own health to start them, and
  // only that request (it carries this process's secret) passes while starting.
  const startToken = randomUUID();

  return {
    get phase() {
      return phase;
    },
    startRequestHeaders: { [START_HEADER]: startToken },
    ready() {
      phase = "ready";
    },
    drain() {
      phase = "draining";
    },
    /** Answers a health check itself while not ready; false lets the request through. */
    answeredHealthCheck(req, res) {
      if (phase === "ready") return false;
      const path = (req.url ?? "").split("?")[0];
      if (path !== HEALTH_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
      if (phase === "starting" && req.headers[START_HEADER] === startToken) return false;
      const body = JSON.stringify({ status: phase });
      res.writeHead(503, { "content-type": "application/json", "cache-control": "no-store", "retry-after": "5" });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    },
  };
}
