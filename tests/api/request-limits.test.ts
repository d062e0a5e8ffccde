import { connect } from "node:net";
import { describe, expect, inject, it } from "vitest";
import { registerOwner, uniqueClientIp } from "../support/api-client";
import { answerJson, ONE_GB as GB, uploadHuge } from "../support/huge-upload";
import { rssBytes } from "../support/process-memory";

const MiB = 1024 * 1024;

function appAddress(): { host: string; port: number } {
  const url = new URL(inject("appUrl"));
  return { host: url.hostname, port: Number(url.port) };
}

describe("request bodies are capped before they are buffered", () => {
  it("refuses a 1 GB upload to every route with 413 within a second, closing the connection, and the server's memory barely grows", async () => {
    const owner = await registerOwner("Upload target");
    const routes: { path: string; contentType: string; detail: string; headers?: Record<string, string> }[] = [
      { path: "/api/v1/auth/register", contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      { path: "/api/v1/auth/token", contentType: "application/json", detail: "Request body is larger than 64 KiB" },
      {
        path: "/api/auth/callback/credentials",
        contentType: "application/x-www-form-urlencoded",
        detail: "Request body is larger than 64 KiB",
      },
      {
        path: "/api/v1/telegram/webhook/some-path-id",
        contentType: "application/json",
        detail: "Request body is larger than 1 MiB",
      },
      {
        path: "/api/v1/tenant",
        contentType: "application/json",
        detail: "Request body is larger than 64 KiB",
        headers: { Authorization: `Bearer ${owner.token}` },
      },
      {
        path: "/api/v1/leads/00000000-0000-0000-0000-000000000000/resend",
        contentType: "application/json",
        detail: "Request body is larger than 64 KiB",
      },
      {
        path: `/api/v1/public/leads/${owner.siteKey}`,
        contentType: "application/json",
        detail: "Request body is larger than 64 KiB",
      },
      {
        path: `/api/v1/public/leads/${owner.siteKey}`,
        contentType: "application/x-www-form-urlencoded",
        detail: "Request body is larger than 64 KiB",
      },
    ];

    const rssBefore = rssBytes(inject("appPid"));
    for (const route of routes) {
      for (const chunked of [false, true]) {
        const answer = await uploadHuge(inject("appUrl"), route.path, {
          chunked,
          contentType: route.contentType,
          headers: { "X-Forwarded-For": uniqueClientIp(), ...route.headers },
        });
        const label = `${route.path} (${chunked ? "chunked" : "Content-Length: 1 GB"}): sent ${answer.sentBytes / MiB} MiB`;
        expect(answer.status, label).toBe(413);
        expect(answerJson(answer), label).toEqual({ detail: route.detail, code: "payload_too_large" });
        expect(answer.headers, label).toMatch(/^connection: close$/m);
        // A second on a quiet machine (npm run bench measures it); generous here for a busy one.
        expect(answer.msToAnswer, label).toBeLessThan(3_000);
      }
    }
    const grewBy = rssBytes(inject("appPid")) - rssBefore;
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
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${host}:${port}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      "",
      "",
    ].join("\r\n");
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
    const expectContinue = {
      "Content-Type": "application/json",
      Expect: "100-continue",
      "X-Forwarded-For": uniqueClientIp(),
    };
    expect(await firstAnswerLine("/api/v1/auth/register", { ...expectContinue, "Content-Length": String(GB) })).toBe(
      "HTTP/1.1 413 Payload Too Large",
    );
    expect(await firstAnswerLine("/api/v1/auth/register", { ...expectContinue, "Content-Length": "100" })).toBe(
      "HTTP/1.1 100 Continue",
    );
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
