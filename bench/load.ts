// A small closed-loop load generator on node:http with keep-alive, and the statistics the
// benchmark reports. Loopback only: every URL it is given is the bench's own servers.
import { Agent, request } from "node:http";

/** Epoch milliseconds with sub-millisecond resolution: the sandbox stamps `sent_at` the same way. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export type Reply = { status: number; body: string; receivedAt: number };

/**
 * Keep-alive connections, reused oldest first. With requests spread over several servers,
 * one server's share of the connections in flight shifts as their speeds do; the default
 * (most recent first) then left some connections idle for the servers' 5 s keep-alive
 * timeout, and on a busy machine the client now and then sent a request on one the server
 * was closing (ECONNRESET). Taken in turn, none stays idle that long.
 */
export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "fifo" });
}

/** POSTs `body` as JSON; resolves when the whole answer has arrived. */
export function postJson(agent: Agent, url: URL, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), receivedAt: epochMs() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export type Summary = { count: number; min: number; p50: number; p90: number; p99: number; max: number; mean: number };

/** Nearest-rank percentiles. */
export function summarise(values: number[]): Summary {
  if (values.length === 0) return { count: 0, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

export const median = (values: number[]): number => summarise(values).p50;

export type LoadResult = {
  requests: number;
  concurrency: number;
  accepted: number;
  statuses: Record<string, number>;
  errors: number;
  wallMs: number;
  /** Accepted (201) submissions per second of wall time. */
  acceptedPerSecond: number;
  latencyMs: Summary;
  /** Requests sent before the timed run to open every connection (not measured). */
  primed: number;
  firstFailure?: string;
};

/**
 * Sends `total` requests with `concurrency` requests in flight at any time (each worker
 * sends its next as soon as its previous answer is complete) over keep-alive connections.
 *
 * Every connection is opened first, by `concurrency` requests sent together and not timed.
 * Without this, the timed requests include connection set-up against a saturated server,
 * and a saturated Node server accepts queued connections slowly: with 64 connections opened
 * at once into a server that is already busy with the first ones, the last few waited
 * for almost the whole run, and p99 measured that instead of the request.
 */
export async function runClosedLoop(options: {
  url: (i: number) => URL;
  body: (i: number) => string;
  total: number;
  concurrency: number;
  headers?: Record<string, string>;
  deadlineMs?: number;
}): Promise<LoadResult> {
  const agent = createAgent(options.concurrency);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let accepted = 0;
  let next = 0;
  let firstFailure: string | undefined;
  const primes = await Promise.allSettled(
    Array.from({ length: options.concurrency }, (_, k) =>
      postJson(agent, options.url(k), options.body(options.total + k), options.headers),
    ),
  );
  const primed = primes.filter((outcome) => outcome.status === "fulfilled" && outcome.value.status === 201).length;
  const deadline = Date.now() + (options.deadlineMs ?? 120_000);
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.total || Date.now() > deadline) return;
      const t0 = performance.now();
      try {
        const reply = await postJson(agent, options.url(i), options.body(i), options.headers);
        latencies.push(performance.now() - t0);
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
        if (reply.status === 201) accepted += 1;
        else firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
      } catch (error) {
        errors += 1;
        firstFailure ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const wallMs = performance.now() - started;
  agent.destroy();
  return {
    requests: latencies.length + errors,
    concurrency: options.concurrency,
    accepted,
    statuses,
    errors,
    wallMs,
    acceptedPerSecond: accepted / (wallMs / 1000),
    latencyMs: summarise(latencies),
    primed,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
