// The production HTTP server: Next's request handler behind node:http.
//
// A custom server because route handlers cannot see the connection's address, and the
// x-forwarded-for that Next fills in keeps whatever a client sent. Here the real peer
// address is stamped on every request (overwriting any client-sent copy), and
// lib/http/client-ip.ts trusts X-Forwarded-For only from TRUSTED_PROXIES. It is also the
// one place every request passes before Next: body caps, timeouts and security headers.
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { admitWithinBodyLimit, CappedIncomingMessage, invitesBody, SERVER_TIMEOUTS } from "./request-limits.mjs";
import { isMalformedPath, refuseMalformedPath } from "./malformed-path.mjs";
import { createReadiness } from "./readiness.mjs";
import { securityHeaders } from "./security-headers.mjs";
import { isUnknownApiMethod, refuseUnknownApiMethod } from "./unknown-method.mjs";

const PEER_ADDRESS_HEADER = "x-leadgram-peer-address";
const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";

const app = next({ dev: false, dir: root, port, hostname });
const handle = app.getRequestHandler();

try {
  await app.prepare();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const responseHeaders = Object.entries(securityHeaders(process.env.PUBLIC_API_URL));
const readiness = createReadiness();

function serve(req, res) {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  for (const [name, value] of responseHeaders) res.setHeader(name, value);
  // While draining, every answer ends its connection: keep-alive connections wind down.
  if (readiness.phase === "draining") res.setHeader("connection", "close");
  if (readiness.answeredHealthCheck(req, res)) return;
  if (isMalformedPath(req.url)) return refuseMalformedPath(res);
  if (isUnknownApiMethod(req)) return refuseUnknownApiMethod(res);
  admitWithinBodyLimit(req, res, handle);
}

const server = createServer({ IncomingMessage: CappedIncomingMessage, ...SERVER_TIMEOUTS }, serve);
// Without this listener Node answers `100 Continue` itself, inviting a body that is refused.
server.on("checkContinue", (req, res) => {
  if (invitesBody(req)) res.writeContinue();
  serve(req, res);
});

server.listen(port, hostname, async () => {
  console.log(`Leadgram listening on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`);
  // Next runs instrumentation.ts (migrations, the delivery dispatcher) on the first request.
  // Ask at once, so notifications left pending by a restart resume without waiting for a
  // visitor, and a server that cannot start says so now.
  const self =
    hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname.includes(":") ? `[${hostname}]` : hostname;
  const response = await fetch(`http://${self}:${port}/api/v1/health`, {
    headers: readiness.startRequestHeaders,
  }).catch((error) => error);
  if (!(response instanceof Response) || !response.ok) {
    console.error(
      "Leadgram could not start: the health check failed",
      response instanceof Response ? response.status : response,
    );
    process.exit(1);
  }
  if (readiness.phase === "starting") readiness.ready();
});

/** Open requests get this long to finish once the server stops accepting connections. */
const REQUEST_DRAIN_LIMIT_MS = 10_000;
// Longer than a Bot API request may take (lib/telegram/bot-api.ts), so sends in flight end.
const DELIVERY_DRAIN_LIMIT_MS = 15_000;
// Validated with the rest of the configuration by lib/config.ts at start-up.
const SHUTDOWN_DELAY_MS = Number(process.env.SHUTDOWN_DELAY_SECONDS || 0) * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * SIGTERM: readiness flips first (health answers 503), and for SHUTDOWN_DELAY_SECONDS the
 * server goes on serving while a load balancer notices; then it stops accepting
 * connections, lets open requests finish (bounded), closes the connections, and only then
 * stops the delivery thread, which finishes its sends in flight (bounded) and releases its
 * leases.
 */
async function shutDown(signal) {
  if (readiness.phase === "draining") return;
  readiness.drain();
  console.log(`${signal}: draining; finishing open requests and notifications in flight`);
  await sleep(SHUTDOWN_DELAY_MS);
  const closed = new Promise((resolve) => server.close(resolve));
  // A connection between two requests closes now; one whose answer is on its way, once it is sent.
  const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  await Promise.race([closed, sleep(REQUEST_DRAIN_LIMIT_MS)]);
  clearInterval(closeIdle);
  server.closeAllConnections();
  // The delivery thread is started by the app bundle; it registers itself on globalThis.
  const drained = globalThis.leadgramDelivery?.drain() ?? Promise.resolve();
  await Promise.race([drained, sleep(DELIVERY_DRAIN_LIMIT_MS)]);
  process.exit(0);
}
process.on("SIGTERM", () => shutDown("SIGTERM"));
process.on("SIGINT", () => shutDown("SIGINT"));
