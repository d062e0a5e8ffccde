import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requestApi, signUpOwner, uniqueClientIp, uniqueEmail, type Account } from "../support/api-client";
import type { AppServer } from "../support/app-server";
import { startPollingStack, type PollingStack } from "../support/polling-stack";
import { sleep } from "../support/wait";
import { inParallel, tally } from "../support/parallel";

/**
 * What one server knows, every server knows: on PostgreSQL two server processes share a
 * database of their own, and requests alternate between them; throttles count as one and
 * a change of a site's settings made on one is enforced by the other at once. On SQLite one
 * server owns the file, so "both servers" are the suite's one server and the same holds.
 */

const onPostgres = inject("database") === "postgresql";
const SITE_CHANGED_CHANNEL = "leadgram_site_changed";

let stack: PollingStack | undefined;
let servers: AppServer[] = [];
let urls: [string, string];
let databaseUrl: string;

beforeAll(async () => {
  if (onPostgres) {
    stack = await startPollingStack();
    servers = await Promise.all([stack.startServer(), stack.startServer()]);
    urls = [servers[0]!.url, servers[1]!.url];
    databaseUrl = stack.databaseUrl;
  } else {
    urls = [inject("appUrl"), inject("appUrl")];
    databaseUrl = inject("databaseUrl");
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** The server the `index`-th request goes to: each in turn. */
const serverFor = (index: number) => urls[index % 2]!;

async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function setOrigins(appUrl: string, owner: Account, origins: string[]): Promise<void> {
  const response = await requestApi(appUrl, "PATCH", "/api/v1/tenant", {
    token: owner.token,
    body: { allowed_origins: origins },
  });
  expect(response.status).toBe(200);
}

/** A CORS preflight from `origin`: 204 when the site allows it, 403 when not. */
async function preflight(appUrl: string, siteKey: string, origin: string): Promise<number> {
  const response = await fetch(`${appUrl}/api/v1/public/leads/${siteKey}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "x-forwarded-for": uniqueClientIp() },
  });
  return response.status;
}

/** Milliseconds until `appUrl` refuses `origin` for the site (fails after `limitMs`). */
async function msUntilRefused(appUrl: string, siteKey: string, origin: string, since: number, limitMs: number) {
  for (;;) {
    if ((await preflight(appUrl, siteKey, origin)) === 403) return Date.now() - since;
    if (Date.now() - since > limitMs) throw new Error(`${origin} still allowed after ${limitMs} ms`);
    await sleep(20);
  }
}

describe("throttles shared by the servers of one database", () => {
  it("counts sign-in guesses spread over both servers against one budget", async () => {
    const owner = await signUpOwner(urls[0]);
    const client = { "x-forwarded-for": uniqueClientIp() };
    const guesses = await Promise.all(
      Array.from(
        { length: 16 },
        async (_, index) =>
          (
            await requestApi(serverFor(index), "POST", "/api/v1/auth/token", {
              body: { email: owner.email, password: `guess ${index}` },
              headers: client,
            })
          ).status,
      ),
    );
    const counts = tally(guesses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect(counts[429]).toBe(16 - (counts[401] ?? 0));
    for (const url of urls) {
      const right = await requestApi(url, "POST", "/api/v1/auth/token", {
        body: { email: owner.email, password: owner.password },
        headers: client,
      });
      expect(right.status).toBe(429);
    }
  });

  it("counts sign-ups from one address on both servers against one budget", async () => {
    const client = { "x-forwarded-for": uniqueClientIp() };
    const signUp = (index: number) =>
      requestApi(serverFor(index), "POST", "/api/v1/auth/register", {
        body: { email: uniqueEmail("shared"), password: "password123", site_name: "Site" },
        headers: client,
      });
    for (let index = 0; index < 10; index += 1) expect((await signUp(index)).status).toBe(201);
    expect((await signUp(10)).status).toBe(429);
    expect((await signUp(11)).status).toBe(429);
  }, 60_000);

  it("never stores more than a site's minute of leads from parallel submissions through both servers", async () => {
    const owner = await signUpOwner(urls[0]);
    const perSite = 600; // LEADS_PER_MINUTE_PER_SITE's default, which the servers run with
    const statuses = await inParallel(
      perSite + 20,
      16,
      async (index) =>
        (
          await requestApi(serverFor(index), "POST", `/api/v1/public/leads/${owner.siteKey}`, {
            body: { name: `Lead ${index}` },
          })
        ).status,
    );
    expect(tally(statuses)).toEqual({ 201: perSite, 429: 20 });
    const stats = await requestApi(urls[1], "GET", "/api/v1/leads/stats", { token: owner.token });
    expect(stats.body).toMatchObject({ open_leads: perSite });
  }, 120_000);
});

describe("site settings on every server at once", () => {
  it("enforces an allowed-origins change made through one server on the other within 500 ms", async () => {
    const owner = await signUpOwner(urls[0]);
    await setOrigins(urls[0], owner, ["https://old.example"]);
    // The other server has the site in memory when the change is made.
    expect(await preflight(urls[1], owner.siteKey, "https://old.example")).toBe(204);
    expect(await preflight(urls[1], owner.siteKey, "https://new.example")).toBe(403);

    await setOrigins(urls[0], owner, ["https://new.example"]);
    expect(await msUntilRefused(urls[1], owner.siteKey, "https://old.example", Date.now(), 500)).toBeLessThan(500);
    expect(await preflight(urls[1], owner.siteKey, "https://new.example")).toBe(204);
  });

  it("answers every request while the site's settings change under it", async () => {
    const owner = await signUpOwner(urls[0]);
    const origins = ["https://one.example", "https://two.example"];
    let changing = true;
    const changes = (async () => {
      for (let round = 0; round < 40; round += 1) await setOrigins(serverFor(round), owner, [origins[round % 2]!]);
      changing = false;
    })();
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        while (changing) statuses.push(await preflight(serverFor(worker), owner.siteKey, origins[worker % 2]!));
      }),
    );
    await changes;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 204 && status !== 403)).toEqual([]);
  }, 60_000);
});

describe.runIf(onPostgres)("when PostgreSQL connections break (PostgreSQL only)", () => {
  /** The servers' notification connections that have run their LISTEN: their process ids. */
  const listeners = () =>
    withDatabase(async (client) => {
      const { rows } = await client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state = 'idle' AND query LIKE 'LISTEN%'",
        [SITE_CHANGED_CHANNEL],
      );
      return rows.map((row) => row.pid).sort();
    });

  it("a server whose notification connection is cut listens again and misses no change", async () => {
    const owner = await signUpOwner(urls[0]);
    await setOrigins(urls[0], owner, ["https://old.example"]);
    expect(await preflight(urls[1], owner.siteKey, "https://old.example")).toBe(204);

    const before = await listeners();
    expect(before).toHaveLength(2);
    await withDatabase((client) =>
      client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1)", [before]),
    );
    // Made while the other server may not be listening: it catches up when it listens again.
    const changedAt = Date.now();
    await setOrigins(urls[0], owner, ["https://new.example"]);
    expect(await msUntilRefused(urls[1], owner.siteKey, "https://old.example", changedAt, 2_000)).toBeLessThan(2_000);

    for (let deadline = Date.now() + 5_000; ; await sleep(50)) {
      const after = await listeners();
      if (after.length === 2 && after.every((pid) => !before.includes(pid))) break;
      if (Date.now() > deadline) throw new Error(`the servers did not listen again: ${JSON.stringify(after)}`);
    }
    expect(await preflight(urls[1], owner.siteKey, "https://new.example")).toBe(204);
    await setOrigins(urls[0], owner, ["https://newer.example"]);
    expect(await msUntilRefused(urls[1], owner.siteKey, "https://new.example", Date.now(), 500)).toBeLessThan(500);
  });

  it("takes leads while the shared throttle table cannot be reached, throttling each server on its own", async () => {
    const owner = await signUpOwner(urls[0]);
    const rename = (from: string, to: string) =>
      withDatabase((client) => client.query(`ALTER TABLE "${from}" RENAME TO "${to}"`));
    await rename("_leadgram_throttle", "_leadgram_throttle_away");
    try {
      const submit = (index: number, clientIp: string) =>
        requestApi(serverFor(index), "POST", `/api/v1/public/leads/${owner.siteKey}`, {
          body: { name: `Lead ${index}` },
          headers: { "x-forwarded-for": clientIp },
        });
      expect((await submit(0, uniqueClientIp())).status).toBe(201);
      // Each server still keeps the visitor's budget (10 a minute) in its own memory.
      const visitor = uniqueClientIp();
      const statuses = await inParallel(12, 1, async () => (await submit(0, visitor)).status);
      expect(tally(statuses)).toEqual({ 201: 10, 429: 2 });
    } finally {
      await rename("_leadgram_throttle_away", "_leadgram_throttle");
    }
    expect(servers[0]!.logs()).toContain("shared throttles unreachable");
    const after = await requestApi(urls[0], "POST", `/api/v1/public/leads/${owner.siteKey}`, { body: { name: "x" } });
    expect(after.status).toBe(201);
    expect(servers[0]!.logs()).toContain("shared throttles are reachable again");
  });
});
