import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SandboxClient } from "../../sandbox/client";
import { startSandbox, type RunningSandbox } from "../../sandbox/start-sandbox";
import { connectBot, requestApi, signUpOwner, type Account } from "../support/api-client";
import { startAppServer, type AppServer } from "../support/app-server";
import { freePort } from "../support/free-port";
import { createPostgresDatabase } from "../support/polling-stack";
import { workerNodeArgs } from "../../scripts/serve-command.mjs";
import { spawnWorker, startWorker, type WorkerProcess } from "../support/worker-process";
import { sleep, waitFor } from "../support/wait";

/**
 * Process roles: on PostgreSQL a web instance with RUN_DELIVERY=false serves HTTP only and
 * `npm run worker` sends, woken by NOTIFY; on SQLite both are refused. And SIGTERM drains:
 * readiness first, open requests finished, a worker's leases handed back.
 */

const database = inject("database");
const logDir = mkdtempSync(path.join(tmpdir(), "leadgram-roles-"));
const logFile = path.join(logDir, "processes.log");

/** A new private database of the suite's kind. */
async function privateDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (database === "sqlite") return { url: `file:${path.join(logDir, `${randomUUID()}.db`)}`, drop: async () => {} };
  return createPostgresDatabase(inject("databaseUrl"));
}

async function postLead(appUrl: string, owner: Account, name: string): Promise<{ id: string; ackedAt: number }> {
  const response = await requestApi(appUrl, "POST", `/api/v1/public/leads/${owner.siteKey}`, {
    body: { name, phone: "+1 555 0100" },
  });
  expect(response.status).toBe(201);
  return { id: (response.body as { id: string }).id, ackedAt: Date.now() };
}

describe.runIf(database === "postgresql")("a web instance without delivery and workers on one database", () => {
  let db: { url: string; drop: () => Promise<void> };
  let sandbox: RunningSandbox;
  let client: SandboxClient;
  let web: AppServer;
  let sql: pg.Client;
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;

  const worker = async (extra: Record<string, string> = {}) => {
    const started = await startWorker({ ...env, ...extra }, logFile);
    workers.push(started);
    return started;
  };
  const deliveryStates = async (leadIds: string[]) => {
    const { rows } = await sql.query<{ leadId: string; status: string }>(
      `SELECT "leadId", "status" FROM "Delivery" WHERE "leadId" = ANY($1)`,
      [leadIds],
    );
    return leadIds.map((id) => rows.find((row) => row.leadId === id)?.status);
  };
  async function siteWithPrivateChat(label: string) {
    const owner = await signUpOwner(web.url, `Roles ${label}`);
    const bot = await client.createBot({ username: `roles_${randomUUID().slice(0, 8)}_bot` });
    const chat = await client.createPrivateChat({ first_name: "Owner" });
    await connectBot(web.url, owner, bot.token, chat.id);
    return { owner, bot, chatId: chat.id };
  }

  beforeAll(async () => {
    db = await createPostgresDatabase(inject("databaseUrl"));
    sandbox = await startSandbox();
    client = new SandboxClient(sandbox.url);
    env = {
      DATABASE_URL: db.url,
      TELEGRAM_API_URL: sandbox.url,
      LEADS_PER_MINUTE_PER_CLIENT: "100000",
      LEADS_PER_MINUTE_PER_SITE: "100000",
    };
    web = await startAppServer({ ...env, RUN_DELIVERY: "false" }, logFile);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await Promise.all(workers.map((running) => running.stop("SIGKILL")));
    await web?.stop();
    await sql?.end();
    await sandbox?.close();
    await db?.drop();
  });

  it("a lead waits for a worker; a running worker sends new leads and edits within a second of the web's answer", async () => {
    const first = await siteWithPrivateChat("first");
    const waiting = await postLead(web.url, first.owner, "waiting for a worker");
    await sleep(2_000);
    expect(await client.messages(first.bot.id)).toEqual([]);
    expect(await deliveryStates([waiting.id])).toEqual(["pending"]);
    expect(web.logs()).not.toMatch(/delivery thread/);

    const healthPort = await freePort();
    await worker({ WORKER_HEALTH_PORT: String(healthPort) });
    const [sent] = await client.waitForMessages(first.bot.id, { timeoutMs: 5_000 });
    expect(sent?.text).toContain("waiting for a worker");

    const health = await fetch(`http://127.0.0.1:${healthPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", role: "worker" });
    expect((await fetch(`http://127.0.0.1:${healthPort}/other`)).status).toBe(404);
    const webHealth = await fetch(`${web.url}/api/v1/health`);
    expect(webHealth.status).toBe(200);
    expect(await webHealth.json()).toEqual({ status: "ok", database: "ok" });

    // New leads for sites whose chats are not waiting out Telegram's pace: each reaches its
    // chat well before the dispatcher's 1-second poll would have found it.
    const delays: number[] = [];
    for (const label of ["a", "b", "c", "d", "e"]) {
      const site = await siteWithPrivateChat(label);
      const lead = await postLead(web.url, site.owner, `quick ${label}`);
      const [message] = await client.waitForMessages(site.bot.id, { timeoutMs: 5_000, intervalMs: 5 });
      delays.push((message?.sent_at ?? Infinity) - lead.ackedAt);
    }
    delays.sort((a, b) => a - b);
    expect(Math.max(...delays)).toBeLessThan(1_000);
    expect(delays[2]).toBeLessThan(400);

    // A change of state on the web instance edits the message from the worker.
    await sleep(1_100); // the first chat's pace
    const changedAt = Date.now();
    const patched = await requestApi(web.url, "PATCH", `/api/v1/leads/${waiting.id}`, {
      token: first.owner.token,
      body: { state: "done" },
    });
    expect(patched.status).toBe(200);
    const edited = await client.waitForEdits(first.bot.id, first.chatId, sent?.message_id ?? 0, { intervalMs: 5 });
    expect((edited.edits[0]?.edited_at ?? Infinity) - changedAt).toBeLessThan(1_000);
  }, 90_000);

  it("a bot connected on the web instance is polled by the worker at once", async () => {
    const owner = await signUpOwner(web.url, "Roles polling");
    const bot = await client.createBot({ username: `rolespoll_${randomUUID().slice(0, 8)}_bot` });
    // Let the worker's scan (every 5 s) pass, so only the notification can explain a quick start.
    await sleep(1_000);
    const connected = await requestApi(web.url, "POST", "/api/v1/telegram/integration", {
      token: owner.token,
      body: { bot_token: bot.token },
    });
    expect(connected.status).toBe(201);
    const start = Date.now();
    await waitFor("the worker to poll the new bot", async () =>
      (await client.getBot(bot.id)).long_polling ? true : undefined,
    );
    expect(Date.now() - start).toBeLessThan(2_000);
  }, 30_000);

  it("SIGTERM on a worker finishes the send in flight and hands everything back: the next worker goes on at once", async () => {
    const { owner, bot, chatId } = await siteWithPrivateChat("handover");
    const healthPort = await freePort();
    const first = await worker({ WORKER_HEALTH_PORT: String(healthPort) });
    await Promise.all(workers.filter((running) => running !== first).map((running) => running.stop("SIGTERM")));
    await waitFor("the worker to poll the bot", async () =>
      (await client.getBot(bot.id)).long_polling ? true : undefined,
    );

    // Telegram takes 2 s over the first send, which it then delivers.
    await client.injectFault({ kind: "hang", ms: 2_000, then: "process", method: "sendMessage", bot_id: bot.id });
    const names = ["handover-1", "handover-2", "handover-3", "handover-4"];
    const leadIds: string[] = [];
    for (const name of names) leadIds.push((await postLead(web.url, owner, name)).id);
    await waitFor("the first send to reach Telegram", async () =>
      (await client.listFaults()).length === 0 ? true : undefined,
    );

    const stopped = first.stop("SIGTERM");
    // The signal reaches the worker a moment after it is sent; the send in flight keeps it
    // draining (Telegram holds that call for 2 s), and its health says so meanwhile.
    const draining = await waitFor(
      "the worker's health to say it is draining",
      async () => {
        const health = await fetch(`http://127.0.0.1:${healthPort}/health`);
        return health.status === 503 ? health : undefined;
      },
      10_000,
      20,
    );
    expect(await draining.json()).toEqual({ status: "draining", role: "worker" });
    expect(await stopped).toBe(0);

    // The send in flight ended as sent; nothing is left claimed, and the bot is nobody's.
    const states = await deliveryStates(leadIds);
    expect(states[0]).toBe("sent");
    expect(states).not.toContain("sending");
    expect((await client.messages(bot.id, { chatId })).map((message) => message.text)).toHaveLength(1);
    const { rows: polling } = await sql.query(`SELECT "holder" FROM "TelegramPolling"`);
    expect(polling.every((row) => row.holder === null)).toBe(true);

    const restartedAt = Date.now();
    await worker();
    const messages = await client.waitForMessages(bot.id, { count: 4, chatId, timeoutMs: 15_000 });
    // Far sooner than a lease of a stopped process would run out (2 minutes for a delivery).
    expect(Date.now() - restartedAt).toBeLessThan(30_000);
    await sleep(1_500);
    const all = await client.messages(bot.id, { chatId });
    expect(all.map((message) => names.find((name) => message.text.includes(name)))).toEqual(names);
    expect(await deliveryStates(leadIds)).toEqual(names.map(() => "sent"));
    expect(messages).toHaveLength(4);
    await waitFor("the new worker to poll the bot", async () =>
      (await client.getBot(bot.id)).long_polling ? true : undefined,
    );
  }, 90_000);

  it("a worker is npm run worker's build on plain Node: it loads no TypeScript file, nor tsx", async () => {
    expect(workerNodeArgs().join(" ")).not.toMatch(/tsx|\.ts\b/);
    // A module hook in the worker refuses every .ts file and anything of tsx's: the worker
    // starts and sends all the same.
    const trap = path.join(logDir, "no-typescript.mjs");
    const refuse = `export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      if (/\\.[cm]?tsx?$|\\/node_modules\\/tsx\\//.test(resolved.url)) throw new Error("TypeScript loaded: " + resolved.url);
      return resolved;
    }`;
    writeFileSync(
      trap,
      `import { register } from "node:module";\nregister("data:text/javascript," + encodeURIComponent(${JSON.stringify(refuse)}));\n`,
    );
    await Promise.all(workers.map((running) => running.stop("SIGTERM")));
    const bundled = await worker({ NODE_OPTIONS: `--import=${trap}` });
    const { owner, bot } = await siteWithPrivateChat("bundle");
    await postLead(web.url, owner, "sent by the bundle");
    const [sent] = await client.waitForMessages(bot.id, { timeoutMs: 5_000 });
    expect(sent?.text).toContain("sent by the bundle");
    expect(bundled.logs()).not.toContain("TypeScript loaded");
  }, 60_000);
});

describe.runIf(database === "sqlite")("roles on SQLite", () => {
  it("npm run worker refuses to start, saying why", async () => {
    const refused = spawnWorker({ DATABASE_URL: `file:${path.join(logDir, "worker.db")}` });
    expect(await refused.exited).not.toBe(0);
    expect(refused.logs()).toContain(
      "npm run worker needs PostgreSQL: with SQLite, npm start sends the notifications itself.",
    );
  }, 60_000);

  it("RUN_DELIVERY=false refuses to start, saying why", async () => {
    const attempt = startAppServer({ DATABASE_URL: `file:${path.join(logDir, "web.db")}`, RUN_DELIVERY: "false" });
    await expect(attempt).rejects.toThrow(/exited with code [1-9]/);
    await expect(attempt).rejects.toThrow(/RUN_DELIVERY: false needs PostgreSQL/);
  }, 60_000);
});

describe("SIGTERM on a web server", () => {
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    db = await privateDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("flips readiness to 503 draining at once, then stops accepting, and still finishes an open request", async () => {
    const server = await startAppServer({ DATABASE_URL: db.url, SHUTDOWN_DELAY_SECONDS: "2" }, logFile);
    const owner = await signUpOwner(server.url, "Draining site");

    // A slow client: half its lead is sent before the SIGTERM, the rest after.
    const body = JSON.stringify({ name: "finished after SIGTERM", message: "x".repeat(2_000) });
    const upload = request(`${server.url}/api/v1/public/leads/${owner.siteKey}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      upload.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      upload.on("error", reject);
    });
    upload.write(body.slice(0, 1_000));
    await sleep(300);

    process.kill(server.pid, "SIGTERM");
    const health = await waitFor("health to answer 503", async () => {
      const response = await fetch(`${server.url}/api/v1/health`);
      return response.status === 503 ? response : undefined;
    });
    expect(await health.json()).toEqual({ status: "draining" });
    expect(health.headers.get("connection")).toBe("close");

    // After SHUTDOWN_DELAY_SECONDS no new connection is accepted...
    await waitFor(
      "the server to stop accepting connections",
      () =>
        fetch(`${server.url}/api/v1/health`).then(
          () => undefined,
          () => true,
        ),
      5_000,
    );
    // ...but the open request still gets its answer.
    upload.end(body.slice(1_000));
    const answer = await answered;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "received" });
    await server.stop();
  }, 60_000);
});
