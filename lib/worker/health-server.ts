import "server-only";
import { createServer, type Server } from "node:http";

export type WorkerPhase = "starting" | "ok" | "draining";

/**
 * A worker's `GET /health` on WORKER_HEALTH_PORT, for a process manager or an orchestrator:
 * 200 `{"status":"ok","role":"worker"}` while it sends, 503 with `starting` or `draining`
 * otherwise. Anything else is 404.
 */
export function startHealthServer(port: number, phase: () => WorkerPhase): Promise<Server> {
  const server = createServer((req, res) => {
    const known = req.url === "/health" && (req.method === "GET" || req.method === "HEAD");
    const status = phase();
    const body = known ? { status, role: "worker" } : { detail: "Not found", code: "not_found" };
    res.writeHead(known ? (status === "ok" ? 200 : 503) : 404, { "content-type": "application/json" });
    res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, process.env.HOST ?? "0.0.0.0", () => resolve(server));
  });
}
