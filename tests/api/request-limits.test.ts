import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { describe, expect, inject, it } from "vitest";
import { registerOwner, uniqueClientIp } from "../support/api-client";

// ---------------------------------------------------------------------------------------
// Raw HTTP/1.1 over a socket: fetch cannot stop sending a body once the server has answered,
// and these tests need to see exactly when the answer comes and when the socket closes.

const MiB = 1024 * 1024;
const GB = 1_000_000_000;
/** What a client may actually push before the server must have answered. */
const SEND_AT_MOST = 256 * MiB;
const ANSWER_DEADLINE_MS = 5_000;

type RawAnswer = { status: number | null; headers: string; body: string; elapsedMs: number; sentBytes: number };

function appAddress(): { host: string; port: number } {
  const url = new URL(inject("appUrl"));
  return { host: url.hostname, port: Number(url.port) };
}

function vmRssBytes(): number {
  const status = readFileSync(`/proc/${inject("appPid")}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1]);
  return kib * 1024;
}

function parseAnswer(raw: string): { status: number | null; headers: string; body: string } {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return { status: null, headers: "", body: "" };
  const head = raw.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
  return { status: Number.isNaN(status) ? null : status, headers: head.toLowerCase(), body: raw.slice(end + 4) };
}

/**
 * POSTs a body of `declaredBytes` (Content-Length) or an endless chunked one, writing 1 MiB
 * pieces as fast as the socket takes them until the server answers, closes, or
 * SEND_AT_MOST / ANSWER_DEADLINE_MS run out.
 */
function uploadHuge(path: string, options: { chunked: boolean; contentType: string; headers?: Record<string, string> }): Promise<RawAnswer> {
  const { host, port } = appAddress();
  const piece = Buffer.alloc(MiB, "a");
  const framedPiece = options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    `Content-Type: ${options.contentType}`,
    `X-Forwarded-For: ${uniqueClientIp()}`,
    options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${GB}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ].join("\r\n");

  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, host);
    let received = "";
    let sentBytes = 0;
    let answeredAt: number | null = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      const answer = parseAnswer(received);
      resolve({ ...answer, elapsedMs: (answeredAt ?? performance.now()) - started, sentBytes });
    };
    const deadline = setTimeout(finish, ANSWER_DEADLINE_MS);
    const pump = () => {
      while (!finished && answeredAt === null && sentBytes < SEND_AT_MOST) {
        sentBytes += piece.length;
        if (!socket.write(framedPiece)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (answeredAt === null && received.includes("\r\n\r\n")) answeredAt = performance.now();
    });
    // The server closes after its answer; a write racing the close may fail: the answer counts.
    socket.on("error", finish);
    socket.on("close", finish);
    socket.write(head, pump);
  });
}

/** The answer's body, de-chunked when it came with Transfer-Encoding: chunked. */
function json(answer: RawAnswer): unknown {
  if (!/^transfer-encoding: chunked$/m.test(answer.headers)) return JSON.parse(answer.body);
  let rest = answer.body;
  let text = "";
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return JSON.parse(text);
    text += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

describe("request bodies are capped before they are buffered", () => {
  it("refuses a 1 GB upload to every route with 413 within a second, closing the connection, and the server's memory barely grows", async () => {
    const owner = await registerOwner("Upload target");
    const routes: { path: string; contentType: string; detail: string; headers?: Record<string, string> }[] = [
      { path: "/api/v1/auth/register", contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      { path: "/api/v1/auth/token", contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      { path: "/api/auth/callback/credentials", contentType: "application/x-www-form-urlencoded", detail: "Request body is larger than 64 KiB" },
      { path: "/api/v1/telegram/webhook/some-path-id", contentType: "application/json", detail: "Request body is larger than 1 MiB" },
      { path: "/api/v1/tenant", contentType: "application/json", detail: "Request body is larger than 64 KiB", headers: { Authorization: `Bearer ${owner.token}` } },
      { path: "/api/v1/leads/00000000-0000-0000-0000-000000000000/resend", contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      { path: `/api/v1/public/leads/${owner.siteKey}`, contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      { path: `/api/v1/public/leads/${owner.siteKey}`, contentType: "application/x-www-form-urlencoded", detail: "Request body is larger than 64 KiB" },
    ];

    const rssBefore = vmRssBytes();
    for (const route of routes) {
      for (const chunked of [false, true]) {
        const answer = await uploadHuge(route.path, { chunked, contentType: route.contentType, headers: route.headers });
        const label = `${route.path} (${chunked ? "chunked" : "Content-Length: 1 GB"}): sent ${answer.sentBytes / MiB} MiB`;
        expect(answer.status, label).toBe(413);
        expect(json(answer), label).toEqual({ detail: route.detail });
        expect(answer.headers, label).toMatch(/^connection: close$/m);
        // A second on a quiet machine (npm run bench measures it); generous here for a busy one.
        expect(answer.elapsedMs, label).toBeLessThan(3_000);
      }
    }
    const grewBy = vmRssBytes() - rssBefore;
    expect(grewBy / MiB).toBeLessThan(50);
  }, 120_000);

  it("still accepts bodies under the caps, chunked or not", async () => {
    const owner = await registerOwner("Small bodies");
    const { host, port } = appAddress();
    const body = JSON.stringify({ name: "Ivan", a: "x".repeat(19_000), b: "x".repeat(19_000), c: "x".repeat(19_000) });
    const response = await fetch(`http://${host}:${port}/api/v1/public/leads/${owner.siteKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": uniqueClientIp() },
      body: new Blob([body]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(201);

    const patched = await fetch(`http://${host}:${port}/api/v1/tenant`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
      body: new Blob([JSON.stringify({ name: "Renamed with a chunked body" })]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { name: string }).name).toBe("Renamed with a chunked body");
  });
});

describe("Expect: 100-continue", () => {
  /** Sends only the head of a request and returns the first answer line. */
  function firstAnswerLine(path: string, headers: Record<string, string>): Promise<string> {
    const { host, port } = appAddress();
    const socket = connect(port, host);
    const head = [`POST ${path} HTTP/1.1`, `Host: ${host}:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), "", ""].join("\r\n");
    socket.write(head);
    return new Promise((resolve) => {
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString("latin1");
        if (received.includes("\r\n")) {
          socket.destroy();
          resolve(received.slice(0, received.indexOf("\r\n")));
        }
      });
      socket.on("error", () => resolve(received));
    });
  }

  it("refuses a body declared too large instead of inviting it, and invites one that fits", async () => {
    const expectContinue = { "Content-Type": "application/json", Expect: "100-continue", "X-Forwarded-For": uniqueClientIp() };
    expect(await firstAnswerLine("/api/v1/auth/register", { ...expectContinue, "Content-Length": String(GB) })).toBe("HTTP/1.1 413 Payload Too Large");
    expect(await firstAnswerLine("/api/v1/auth/register", { ...expectContinue, "Content-Length": "100" })).toBe("HTTP/1.1 100 Continue");
  });
});

describe("slow clients", () => {
  it("closes a connection whose headers dribble in (slow loris) within the headers timeout", async () => {
    const { host, port } = appAddress();
    const socket = connect(port, host);
    const started = performance.now();
    socket.write(`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\n`);
    const dribble = setInterval(() => socket.write(`X-Slow-${Math.floor(performance.now())}: 1\r\n`), 500);
    socket.on("error", () => undefined);
    socket.resume();
    const closedAfterMs = await new Promise<number>((resolve) => {
      socket.on("close", () => resolve(performance.now() - started));
      setTimeout(() => resolve(Infinity), 20_000);
    });
    clearInterval(dribble);
    socket.destroy();
    // headersTimeout is 10 s, checked every second.
    expect(closedAfterMs).toBeGreaterThan(9_000);
    expect(closedAfterMs).toBeLessThan(13_000);
  }, 30_000);
});
