import { connect, type Socket } from "node:net";

// Raw HTTP/1.1 over a socket: fetch cannot stop sending a body once the server has answered,
// and the upload tests and the benchmark need to see exactly when the answer comes.

const MiB = 1024 * 1024;
export const ONE_GB = 1_000_000_000;

export type UploadAnswer = {
  status: number | null;
  headers: string;
  body: string;
  msToAnswer: number;
  sentBytes: number;
};

export type UploadOptions = {
  chunked: boolean;
  contentType: string;
  headers?: Record<string, string>;
  /** What the client may actually push before the server must have answered. */
  sendAtMost?: number;
  deadlineMs?: number;
};

function parseAnswer(raw: string): { status: number | null; headers: string; body: string } {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return { status: null, headers: "", body: "" };
  const head = raw.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
  return { status: Number.isNaN(status) ? null : status, headers: head.toLowerCase(), body: raw.slice(end + 4) };
}

/**
 * POSTs to `baseUrl + path` a body declared as 1 GB (Content-Length) or an endless chunked
 * one, writing 1 MiB pieces as fast as the socket takes them until the server answers,
 * closes, or `sendAtMost` (256 MiB) / `deadlineMs` (5 s) run out.
 */
export function uploadHuge(baseUrl: string, path: string, options: UploadOptions): Promise<UploadAnswer> {
  const { hostname: host, port } = new URL(baseUrl);
  const sendAtMost = options.sendAtMost ?? 256 * MiB;
  const piece = Buffer.alloc(MiB, "a");
  const framedPiece = options.chunked
    ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
    : piece;
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    `Content-Type: ${options.contentType}`,
    options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${ONE_GB}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ].join("\r\n");

  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(Number(port), host);
    let received = "";
    let sentBytes = 0;
    let answeredAt: number | null = null;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ ...parseAnswer(received), msToAnswer: (answeredAt ?? performance.now()) - started, sentBytes });
    };
    const deadline = setTimeout(finish, options.deadlineMs ?? 5_000);
    const pump = () => {
      while (!finished && answeredAt === null && sentBytes < sendAtMost) {
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

/** The answer's body as JSON, de-chunked when it came with Transfer-Encoding: chunked. */
export function answerJson(answer: UploadAnswer): unknown {
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
