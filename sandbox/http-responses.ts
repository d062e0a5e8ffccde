import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
    ...extraHeaders,
  });
  response.end(payload);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { "Content-Type": "text/html", "Content-Length": Buffer.byteLength(html) });
  response.end(html);
}

/** Drops the TCP connection with an RST, which clients see as ECONNRESET ("socket hang up"). */
export function resetConnection(request: IncomingMessage): void {
  const socket: Socket = request.socket;
  if (typeof socket.resetAndDestroy === "function") {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}
