// The worker's resident memory, idle and under load, and its delivery rate (issue 12: a
// worker under 150 MB). Each argument is a worker's Node arguments; they are measured in
// turn against the same stack:
//
//   node scripts/build.mjs
//   npx tsx --conditions=react-server scripts/measure-worker-memory.ts \
//     "--conditions=react-server --import tsx lib/worker/main.ts" \
//     "$(node -p 'require("./package.json").scripts.worker.slice(5)')"
//
// The stack: a throwaway PostgreSQL, the Bot API sandbox (Telegram's limits enforced), one
// web instance that never sends, CHATS sites (300) with a bot and a private chat each, long
// polled by the worker (WEBHOOKS=1: webhooks instead, nothing polled). Per argument: a
// worker with nothing to do, its RSS after IDLE_MS (15 s); then PER_CHAT leads (20) per chat
// queued with no worker running, and a new worker drains them: its RSS sampled every 250 ms
// (and VmHWM), the time to drain, its RSS IDLE_MS after. Telegram lets 1 message a second
// out to each chat: 300 chats drain at most 300 a second.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { SandboxClient } from "../sandbox/client";
import { startSandbox } from "../sandbox/start-sandbox";
import { inParallel } from "../tests/support/parallel";
import { spawnWithTestSecrets, startAppServer } from "../tests/support/app-server";
import { startTemporaryPostgres } from "../tests/support/postgres-server";
import { sleep, waitFor } from "../tests/support/wait";

const CHATS = Number(process.env.CHATS ?? 300);
const PER_CHAT = Number(process.env.PER_CHAT ?? 20);
const IDLE_MS = Number(process.env.IDLE_MS ?? 15_000);
const WEBHOOKS = process.env.WEBHOOKS === "1";
const logFile = path.resolve(import.meta.dirname, "../.tmp/measure-worker-memory.log");

/** The fields of the API's answers this script reads. */
type Answer = { tenant?: { site_key: string }; access_token?: string };

let clients = 0;
/** A client address per request, so no throttle counts them together. */
const clientIp = () => `198.18.${(clients >> 8) & 255}.${clients++ & 255}`;

async function call(url: string, method: string, pathname: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "x-forwarded-for": clientIp(), "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}${pathname}`, { method, headers, body: JSON.stringify(body) });
  const answer = { status: response.status, body: (await response.json()) as Answer };
  if (answer.status >= 300) throw new Error(`${method} ${pathname}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** MB resident now and at most so far, from /proc. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const mb = (key: string) => Math.round(Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { rss: mb("VmRSS"), peak: mb("VmHWM") };
}

const postgres = await startTemporaryPostgres();
const sandbox = await startSandbox();
const client = new SandboxClient(sandbox.url);
const env = {
  DATABASE_URL: postgres.url,
  TELEGRAM_API_URL: sandbox.url,
  LEADS_PER_MINUTE_PER_CLIENT: "1000000",
  LEADS_PER_MINUTE_PER_SITE: "1000000",
  SIGNUPS_PER_HOUR_PER_CLIENT: "100000",
  ...(WEBHOOKS ? { PUBLIC_API_URL: "https://leads.example.com" } : {}),
};
const web = await startAppServer({ ...env, RUN_DELIVERY: "false" }, logFile);
const sql = new pg.Pool({ connectionString: postgres.url, max: 2 });
const running = new Set<ReturnType<typeof spawnWithTestSecrets>["child"]>();

async function startWorker(args: string[]) {
  const worker = spawnWithTestSecrets(args, env, logFile);
  running.add(worker.child);
  const startedAt = Date.now();
  await waitFor("the worker to be ready", async () => {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited:\n${worker.logs()}`);
    return worker.logs().includes("Leadgram worker ready") || undefined;
  });
  return { pid: worker.child.pid ?? 0, startMs: Date.now() - startedAt, stop: () => stop(worker.child) };
}

async function stop(child: ReturnType<typeof spawnWithTestSecrets>["child"]) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  if (child.exitCode === null) child.kill("SIGTERM");
  await exited;
  running.delete(child);
}

const count = async (where: string) =>
  Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Delivery" WHERE ${where}`)).rows[0]?.n);

try {
  const siteKeys: string[] = [];
  await inParallel(CHATS, 6, async (site) => {
    const email = `owner-${randomUUID().slice(0, 8)}@example.com`;
    const password = "correct horse battery";
    const registered = await call(web.url, "POST", "/api/v1/auth/register", {
      email,
      password,
      site_name: `Site ${site}`,
    });
    const { access_token: token } = await call(web.url, "POST", "/api/v1/auth/token", { email, password });
    const bot = await client.createBot({ username: `memory${site}_${randomUUID().slice(0, 6)}_bot` });
    const chat = await client.createPrivateChat({ first_name: `Owner ${site}` });
    const integration = { bot_token: bot.token, owner_chat_id: chat.id };
    await call(web.url, "POST", "/api/v1/telegram/integration", integration, token);
    if (WEBHOOKS) await call(web.url, "POST", "/api/v1/telegram/integration/webhook", {}, token);
    siteKeys.push(registered.tenant?.site_key ?? "");
  });

  for (const variant of process.argv.slice(2)) {
    const args = variant.split(" ");
    const idleWorker = await startWorker(args);
    await sleep(IDLE_MS);
    const idle = memory(idleWorker.pid);
    await idleWorker.stop();

    const leads = siteKeys.flatMap((siteKey) => Array.from({ length: PER_CHAT }, (_, n) => ({ siteKey, n })));
    await inParallel(leads.length, 16, (index) => {
      const { siteKey, n } = leads[index] ?? { siteKey: "", n: 0 };
      return call(web.url, "POST", `/api/v1/public/leads/${siteKey}`, { name: `Lead ${n}`, phone: "+1 555 0100" });
    });
    const queued = await count(`status = 'pending'`);

    const busyWorker = await startWorker(args);
    const startedAt = Date.now();
    let sampledPeak = 0;
    while ((await count(`status NOT IN ('sent', 'failed', 'skipped')`)) > 0) {
      sampledPeak = Math.max(sampledPeak, memory(busyWorker.pid).rss);
      await sleep(250);
    }
    const drainSeconds = (Date.now() - startedAt) / 1000;
    const { peak } = memory(busyWorker.pid);
    await sleep(IDLE_MS);
    const after = memory(busyWorker.pid);
    await busyWorker.stop();

    console.log(
      JSON.stringify({
        worker: variant,
        polledBots: WEBHOOKS ? 0 : CHATS,
        startMs: idleWorker.startMs,
        idleMB: idle.rss,
        loadPeakMB: Math.max(sampledPeak, peak),
        afterLoadMB: after.rss,
        deliveries: queued,
        notSent: await count(`status <> 'sent'`),
        drainSeconds,
        perSecond: Math.round(queued / drainSeconds),
      }),
    );
  }
} finally {
  await Promise.all([...running].map(stop));
  await web.stop();
  await sql.end();
  await sandbox.close();
  await postgres.stop();
}
