// Limits every request meets before Next sees it: a body cap per path and timeouts that
// end slow connections. Next reads whatever body a route asks for (`req.text()` buffers it
// all) and applies no cap of its own, so the cap lives here, in front of every route.
import { IncomingMessage } from "node:http";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Bytes a request body may have, by path. The public lead route keeps its own 64 KiB
 * check (lib/leads/intake/read-submission.ts), which answers a plain HTML form with a page
 * rather than JSON; here it only gets `Connection: close` for an oversized body, so the
 * unread rest is not drained. Telegram updates are a few KiB; 1 MiB leaves room for long
 * captions and entity lists. Everything else is small JSON or a sign-in form.
 */
export function bodyLimitFor(pathname) {
  if (pathname.startsWith("/api/v1/public/leads/")) return { bytes: 64 * KiB, routeRefuses: true };
  if (pathname.startsWith("/api/v1/telegram/webhook/")) return { bytes: 1 * MiB, routeRefuses: false };
  return { bytes: 64 * KiB, routeRefuses: false };
}

/**
 * Slow-loris defences: headers must arrive within 10 s and the whole request within 30 s
 * (a 64 KiB body over a poor mobile link takes a few seconds); idle keep-alive sockets close
 * after 5 s. Node checks these every `connectionsCheckingInterval`, 30 s by default.
 */
export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
};

const describeBytes = (bytes) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

/**
 * A request whose chunked body (no Content-Length, so no size known up front) is held back
 * from its reader until it has arrived whole within the cap; past the cap it is dropped as
 * it arrives, so memory stays at most the cap per request whatever the client sends.
 */
export class CappedIncomingMessage extends IncomingMessage {
  #held = null;
  #heldBytes = 0;
  #cap = 0;
  #settle = null;

  /** Resolves true once the whole body is in (within `cap` bytes), false once it is not. */
  holdBody(cap) {
    this.#held = [];
    this.#cap = cap;
    return new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  push(chunk, encoding) {
    if (this.#held === null) return super.push(chunk, encoding);
    if (this.#settle === null) return true; // over the cap: discard the rest
    if (chunk === null) {
      const settle = this.#settle;
      this.#settle = null;
      for (const held of this.#held) super.push(held);
      this.#held = [];
      settle(true);
      return super.push(null);
    }
    this.#heldBytes += chunk.length;
    if (this.#heldBytes > this.#cap) {
      const settle = this.#settle;
      this.#settle = null;
      this.#held = [];
      settle(false);
      return true;
    }
    this.#held.push(chunk);
    return true;
  }
}

/**
 * Closes the connection after the answer, but gently: destroying a socket with unread data
 * makes the kernel reset the connection, and a client still sending its body may lose the
 * answer before reading it. So the server only half-closes once the answer is out and keeps
 * discarding what arrives for a moment, as nginx's lingering close does.
 */
function closeAfterAnswer(res) {
  res.setHeader("Connection", "close");
  const socket = res.socket;
  if (!socket) return; // the client is gone already
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
const LINGER_MS = 1_000;

function refuseTooLarge(res, bytes) {
  // Closing keeps the client from sending its next request into a socket still full of this body.
  closeAfterAnswer(res);
  res.writeHead(413, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ detail: `Request body is larger than ${describeBytes(bytes)}`, code: "payload_too_large" }));
}

const limitOf = (req) => bodyLimitFor(new URL(req.url ?? "/", "http://localhost").pathname);
const declaredBytes = (req) =>
  req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);

/** For `Expect: 100-continue`: whether to invite the body, i.e. its declared size fits. */
export function invitesBody(req) {
  const declared = declaredBytes(req);
  return declared === null || declared <= limitOf(req).bytes;
}

/**
 * Calls `next(req, res)` once the request is known to fit its path's body cap, or answers
 * 413 itself: at once by Content-Length, or as soon as a chunked body passes the cap.
 */
export function admitWithinBodyLimit(req, res, next) {
  const limit = limitOf(req);
  const declared = declaredBytes(req);
  const chunked = req.headers["transfer-encoding"] !== undefined;

  if (limit.routeRefuses) {
    if (chunked || (declared !== null && declared > limit.bytes)) closeAfterAnswer(res);
    return next(req, res);
  }
  if (declared !== null && declared > limit.bytes) return refuseTooLarge(res, limit.bytes);
  // With a Content-Length the parser delivers no more than declared; a chunked body is counted.
  if (!chunked) return next(req, res);
  req.holdBody(limit.bytes).then((fits) => (fits ? next(req, res) : refuseTooLarge(res, limit.bytes)));
}
