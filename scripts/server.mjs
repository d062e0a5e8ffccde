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

function serve(req, res) {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
  for (const [name, value] of responseHeaders) res.setHeader(name, value);
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
  const response = await fetch(`http://${self}:${port}/api/v1/health`).catch((error) => error);
  if (!(response instanceof Response) || !response.ok) {
    console.error(
      "Leadgram could not start: the health check failed",
      response instanceof Response ? response.status : response,
    );
    process.exit(1);
  }
});

// Longer than a Bot API request may take (lib/telegram/bot-api.ts), so sends in flight end.
const DRAIN_LIMIT_MS = 15_000;

let stopping = false;
async function shutDown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing open requests and notifications in flight`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  // The delivery thread is started by the app bundle; it registers itself on globalThis.
  const drained = globalThis.leadgramDelivery?.drain() ?? Promise.resolve();
  const limit = new Promise((resolve) => setTimeout(resolve, DRAIN_LIMIT_MS).unref());
  await Promise.race([Promise.all([closed, drained]), limit]);
  process.exit(0);
}
process.on("SIGTERM", () => shutDown("SIGTERM"));
process.on("SIGINT", () => shutDown("SIGINT"));
