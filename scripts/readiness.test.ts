import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createReadiness } from "./readiness.mjs";

function exchange(method: string, url: string, headers: Record<string, string> = {}) {
  const req = new IncomingMessage(new Socket());
  Object.assign(req, { method, url, headers });
  const res = new ServerResponse(req);
  let body = "";
  res.end = ((chunk?: string) => {
    body = chunk ?? "";
    return res;
  }) as typeof res.end;
  return { req, res, body: () => body };
}

describe("readiness", () => {
  it("answers health checks 503 starting until ready, except the server's own", () => {
    const readiness = createReadiness();
    const probe = exchange("GET", "/api/v1/health");
    expect(readiness.answeredHealthCheck(probe.req, probe.res)).toBe(true);
    expect(probe.res.statusCode).toBe(503);
    expect(JSON.parse(probe.body())).toEqual({ status: "starting" });

    const own = exchange("GET", "/api/v1/health", readiness.startRequestHeaders);
    expect(readiness.answeredHealthCheck(own.req, own.res)).toBe(false);
    const guessed = exchange("GET", "/api/v1/health", { "x-leadgram-start": "guess" });
    expect(readiness.answeredHealthCheck(guessed.req, guessed.res)).toBe(true);
  });

  it("lets every request through once ready, other paths always", () => {
    const readiness = createReadiness();
    const page = exchange("GET", "/login");
    expect(readiness.answeredHealthCheck(page.req, page.res)).toBe(false);
    readiness.ready();
    const probe = exchange("GET", "/api/v1/health?probe=1");
    expect(readiness.answeredHealthCheck(probe.req, probe.res)).toBe(false);
  });

  it("answers 503 draining from the SIGTERM on, even to the server's own header", () => {
    const readiness = createReadiness();
    readiness.ready();
    readiness.drain();
    for (const headers of [{}, readiness.startRequestHeaders]) {
      const probe = exchange("GET", "/api/v1/health", headers);
      expect(readiness.answeredHealthCheck(probe.req, probe.res)).toBe(true);
      expect(probe.res.statusCode).toBe(503);
      expect(JSON.parse(probe.body())).toEqual({ status: "draining" });
    }
    const post = exchange("POST", "/api/v1/health");
    expect(readiness.answeredHealthCheck(post.req, post.res)).toBe(false);
  });
});
