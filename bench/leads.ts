// Lead intake benchmark: `npm run bench` (see bench/README.md).
//
// One run, on SQLite (WAL + synchronous=FULL), loopback only, bounded in requests and time
// (about 2.5 minutes before phase 6; each closed-loop run stops after 40 s, the whole bench
// after 25 min):
//   1. baseline: bench/baseline-server.ts (bare node:http + the same durable insert),
//      closed-loop throughput and latency at concurrency 16 and 64
//   2. the app (production build, tests/support/app-server.ts) with 301 tenants registered
//      through its API, each with a bot and private chat in the Telegram sandbox (which
//      runs in this process, so its sent_at and the client's 201 share one clock)
//   3. time from the client's 201 to the sandbox recording the sendMessage
//   4. bursts under Telegram's flood limits: order, 429s, pace per chat
//   5. the app's throughput and latency, last, so its delivery backlog cannot touch 3-4
//   6. 1 GB uploads to each kind of route: time to the 413 and the server's RSS growth
//   7. bench/scale.ts: 1 M leads on SQLite and PostgreSQL (list filters, CSV export),
//      on servers of its own; `--skip-scale` leaves it out
// Prints tables and writes bench/results/latest.json.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { SandboxClient, type SentMessageRecord } from "../sandbox/client";
import { startSandbox, type RunningSandbox } from "../sandbox/start-sandbox";
import type { AppServer } from "../tests/support/app-server";
import { startApp } from "./app";
import { CpuMeter, findPid, type CpuShare } from "./cpu-meter";
import { createAgent, epochMs, median, postJson, runClosedLoop, sleep, summarise, type LoadResult, type Summary } from "./load";
import { uploadPhase } from "./uploads";
import { fmt, log, table, type Target } from "./report";
import { printScaleReport, runScaleBench, scaleSettingsFrom } from "./scale";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench/results");

// ---- settings (small flags for investigating; the defaults are the benchmark) -------------

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const numberOption = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const SETTINGS = {
  warmupRequests: numberOption("warmup", 500),
  requests: numberOption("requests", 3000),
  concurrencies: [16, 64],
  /** Tenants (each its own bot and private chat) for phases 4 and 5a. */
  tenants: 30,
  /**
   * Tenants the throughput runs spread their leads over (round robin; the first `tenants`
   * of them included): the app paces itself at 1 message/s per private chat
   * (lib/leads/delivery/pacing.ts), so delivery keeps up only with about as many chats as
   * leads per second.
   */
  throughputTenants: numberOption("throughput-tenants", 300),
  latencyLeads: numberOption("latency-leads", 300),
  latencyRatePerSecond: 20,
  burstPerTenant: 10,
  burstOneChat: numberOption("one-chat", 60),
  /** The diagnostic run: submissions into one tenant, so delivery work is paced away. */
  diagnosticRequests: numberOption("diagnostic-requests", 1500),
  /** No closed-loop run goes on longer than this, whatever the server's speed. */
  runDeadlineMs: 40_000,
  /** Other processes above this share of the CPU make the figures unreliable (warned). */
  busyThresholdPct: 10,
  /** Saves V8 CPU profiles of the app and the baseline into bench/results/profiles. */
  cpuProfile: flag("cpu-prof"),
};

/** Telegram's limit for one private chat, which the app's pacing keeps to. */
const ALLOWED_PER_CHAT_PER_SECOND = 1;

const TARGETS = {
  throughputRatio: 0.6,
  p99Ratio: 2,
  sendP50Ms: 50,
  sendP99Ms: 250,
  pace: 0.95,
  uploadRefusedMs: 1000,
  uploadRssGrowthMiB: 50,
};

const USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A realistic form submission; `tag` (phase.tenant.seq) lets the bench find its Telegram message. */
function leadBody(tag: string, seq: number): string {
  return JSON.stringify({
    name: `Bench #${tag}#`,
    email: `lead${seq}@example.com`,
    phone: "+7 900 123-45-67",
    message: "Hello! I would like a quote for three units with delivery next week. Please call after 6pm.",
    page: "https://shop.example.com/contact",
    utm_source: "google",
    utm_campaign: "spring_sale",
    budget: "1000-5000",
  });
}
const TAG_PATTERN = /#([A-Za-z0-9]+)\.(\d+)\.(\d+)#/;

function parseTag(text: string): { phase: string; tenant: number; seq: number } | null {
  const match = TAG_PATTERN.exec(text);
  return match ? { phase: match[1] ?? "", tenant: Number(match[2]), seq: Number(match[3]) } : null;
}

// ---- the baseline server -------------------------------------------------------------------

type Baseline = { url: string; pid: number | undefined; journalMode: string; synchronous: number; stop: () => Promise<void> };

async function startBaseline(databaseUrl: string, extraEnv: Record<string, string>): Promise<Baseline> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(root, "bench/baseline-server.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", BENCH_DATABASE_URL: databaseUrl, ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<{ port: number; journal_mode: string; synchronous: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("baseline server did not start in 30 s")), 30_000);
    child.once("exit", (code) => reject(new Error(`baseline server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { port: number; journal_mode: string; synchronous: number });
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid,
    journalMode: ready.journal_mode,
    synchronous: ready.synchronous,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

// ---- app set-up through its API ------------------------------------------------------------

type Tenant = { index: number; siteKey: string; tenantId: string; botId: number; chatId: number };

async function callApi<T>(appUrl: string, method: string, urlPath: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${appUrl}${urlPath}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Sign-up, API token, and a sandbox bot + private chat connected as the owner would. */
async function registerTenant(appUrl: string, sb: SandboxClient, index: number, runId: string): Promise<Tenant> {
  const email = `bench-${runId}-${index}@example.com`;
  const password = "bench password 123";
  const registered = await callApi<{ tenant: { id: string; site_key: string } }>(appUrl, "POST", "/api/v1/auth/register", {
    email,
    password,
    site_name: `Bench site ${index}`,
  });
  const { access_token: token } = await callApi<{ access_token: string }>(appUrl, "POST", "/api/v1/auth/token", { email, password });
  const bot = await sb.createBot({ username: `bench_${runId}_${index}_bot` });
  const chat = await sb.createPrivateChat({ first_name: `Owner ${index}`, username: `owner_${runId}_${index}` });
  await callApi(appUrl, "POST", "/api/v1/telegram/integration", { bot_token: bot.token, owner_chat_id: chat.id }, token);
  return { index, siteKey: registered.tenant.site_key, tenantId: registered.tenant.id, botId: bot.id, chatId: chat.id };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
    }),
  );
  return results;
}

const leadUrl = (base: string, siteKey: string) => new URL(`/api/v1/public/leads/${siteKey}`, base);

/** Waits until the sandbox has recorded `count` messages with this phase's tag since `since`. */
async function waitForPhaseMessages(sb: SandboxClient, phase: string, count: number, since: number, timeoutMs: number): Promise<SentMessageRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = (await sb.allMessages({ since })).filter((message) => parseTag(message.text)?.phase === phase);
    if (messages.length >= count || Date.now() > deadline) return messages;
    await sleep(100);
  }
}

// ---- phases --------------------------------------------------------------------------------

type DeliveryDuringRun = { sentDuringRun: number; drainMs: number; drained: boolean };
type ThroughputRun = LoadResult & { cpu: CpuShare; delivery?: DeliveryDuringRun };

/**
 * Warm-up, then one closed-loop run per concurrency. With `sb` (the app), also counts the
 * notifications the sandbox recorded during each run, and waits for the rest to be sent
 * before the next run so that no run inherits another's delivery backlog.
 */
async function throughputPhase(
  label: string,
  baseUrl: string,
  siteKeys: string[],
  tag: string,
  options: { meter: CpuMeter; concurrencies: number[]; requests: number; warmup: number; sb?: SandboxClient; drain?: boolean },
): Promise<Record<string, ThroughputRun>> {
  const { meter, sb } = options;
  let seq = 0;
  const common = {
    url: (i: number) => leadUrl(baseUrl, siteKeys[i % siteKeys.length] ?? ""),
    headers: { "user-agent": USER_AGENT },
    deadlineMs: SETTINGS.runDeadlineMs,
  };
  const sentSoFar = async () => (sb ? (await sb.stats()).messages_sent : 0);
  let expected = await sentSoFar();
  const drain = async (): Promise<Omit<DeliveryDuringRun, "sentDuringRun">> => {
    const started = performance.now();
    while (options.drain && (await sentSoFar()) < expected && performance.now() - started < 30_000) await sleep(100);
    return { drainMs: performance.now() - started, drained: (await sentSoFar()) >= expected };
  };
  if (options.warmup > 0) {
    log(`${label}: warm-up ${options.warmup} requests at concurrency 16`);
    const warm = await runClosedLoop({ ...common, body: (i) => leadBody(`${tag}W.${i % siteKeys.length}.${seq++}`, i), total: options.warmup, concurrency: 16 });
    if (warm.accepted !== warm.requests) throw new Error(`${label} warm-up failed: ${warm.firstFailure}`);
    expected += warm.accepted + warm.primed;
    await drain();
  }
  const results: Record<string, ThroughputRun> = {};
  for (const concurrency of options.concurrencies) {
    const before = await sentSoFar();
    const cpuStart = meter.sample();
    const load = await runClosedLoop({ ...common, body: (i) => leadBody(`${tag}${concurrency}.${i % siteKeys.length}.${seq++}`, i), total: options.requests, concurrency });
    const result: ThroughputRun = { ...load, cpu: meter.since(cpuStart) };
    let note = "";
    if (sb) {
      const sentDuringRun = (await sentSoFar()) - before;
      expected += result.accepted + result.primed;
      result.delivery = { sentDuringRun, ...(await drain()) };
      note = `; ${sentDuringRun} notified during the run${options.drain ? `, the rest within ${fmt(result.delivery.drainMs / 1000, 2)} s` : ""}`;
    }
    log(
      `${label}: c=${concurrency}: ${fmt(result.acceptedPerSecond, 0)} leads/s, p50 ${fmt(result.latencyMs.p50)} ms, p99 ${fmt(result.latencyMs.p99)} ms ` +
        `(${result.accepted}/${options.requests} accepted${note}; other processes ${fmt(result.cpu.othersPct, 0)}% CPU)`,
    );
    if (result.firstFailure) log(`  first failure: ${result.firstFailure}`);
    results[`c${concurrency}`] = result;
  }
  return results;
}

type SendLatency = {
  leads: number;
  delivered: number;
  ratePerSecond: number;
  tenants: number;
  floodLimits: string;
  submitMs: Summary;
  ms: Summary;
  cpu: CpuShare;
};

/** Open loop: leads at a fixed rate, round robin over the tenants; 201 → sendMessage per lead. */
async function sendLatencyPhase(sb: SandboxClient, appUrl: string, tenants: Tenant[], meter: CpuMeter): Promise<SendLatency> {
  const agent = createAgent(32);
  const since = epochMs();
  const cpuStart = meter.sample();
  const interval = 1000 / SETTINGS.latencyRatePerSecond;
  const start = performance.now();
  const replies: Promise<{ tag: string; status: number; receivedAt: number; submitMs: number }>[] = [];
  for (let i = 0; i < SETTINGS.latencyLeads; i += 1) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const tenant = tenants[i % tenants.length] as Tenant;
    const tag = `L.${tenant.index}.${i}`;
    const sentAt = performance.now();
    replies.push(
      postJson(agent, leadUrl(appUrl, tenant.siteKey), leadBody(tag, i), { "user-agent": USER_AGENT }).then((reply) => ({
        tag,
        status: reply.status,
        receivedAt: reply.receivedAt,
        submitMs: performance.now() - sentAt,
      })),
    );
  }
  const answered = await Promise.all(replies);
  agent.destroy();
  const accepted = answered.filter((reply) => reply.status === 201);
  const messages = await waitForPhaseMessages(sb, "L", accepted.length, since, 30_000);
  const cpu = meter.since(cpuStart);
  const sentAtByTag = new Map(messages.map((message) => [TAG_PATTERN.exec(message.text)?.[0].slice(1, -1) ?? "", message.sent_at]));
  const latencies = accepted.flatMap((reply) => {
    const sentAt = sentAtByTag.get(reply.tag);
    return sentAt === undefined ? [] : [sentAt - reply.receivedAt];
  });
  return {
    leads: SETTINGS.latencyLeads,
    delivered: latencies.length,
    ratePerSecond: SETTINGS.latencyRatePerSecond,
    tenants: tenants.length,
    floodLimits: "on (sandbox defaults)",
    submitMs: summarise(accepted.map((reply) => reply.submitMs)),
    ms: summarise(latencies),
    cpu,
  };
}

type ChatReport = { chatId: number; messages: number; inOrder: boolean; spanMs: number; pace: number };
type BurstReport = {
  leads: number;
  chats: number;
  accepted: number;
  delivered: number;
  submitWallMs: number;
  /** From the first submission to the last message recorded by the sandbox. */
  wallMs: number;
  tooManyRequests: number;
  allInOrder: boolean;
  paceMin: number;
  paceMedian: number;
  expectedWallMs: number;
  cpu: CpuShare;
  perChat: ChatReport[];
};

/**
 * Each tenant's leads are submitted one after another (so "submission order" is defined),
 * all tenants at once. Per chat: order, and pace = (messages - 1) / span in seconds over
 * the allowed 1 message/s.
 */
async function burstPhase(sb: SandboxClient, appUrl: string, tenants: Tenant[], perTenant: number, phase: string, meter: CpuMeter): Promise<BurstReport> {
  const before = await sb.stats();
  const since = epochMs();
  const cpuStart = meter.sample();
  const agent = createAgent(tenants.length);
  const started = performance.now();
  const acceptedCounts = await Promise.all(
    tenants.map(async (tenant) => {
      let accepted = 0;
      for (let seq = 0; seq < perTenant; seq += 1) {
        const reply = await postJson(agent, leadUrl(appUrl, tenant.siteKey), leadBody(`${phase}.${tenant.index}.${seq}`, seq), { "user-agent": USER_AGENT });
        if (reply.status === 201) accepted += 1;
      }
      return accepted;
    }),
  );
  const submitWallMs = performance.now() - started;
  agent.destroy();
  const accepted = acceptedCounts.reduce((sum, count) => sum + count, 0);
  // At 1 message/s per chat the burst needs about perTenant seconds; allow twice that.
  const messages = await waitForPhaseMessages(sb, phase, accepted, since, perTenant * 2000 + 10_000);
  const cpu = meter.since(cpuStart);
  const after = await sb.stats();
  const lastSent = Math.max(...messages.map((message) => message.sent_at));
  const perChat: ChatReport[] = tenants.map((tenant) => {
    const inChat = messages.filter((message) => message.chat_id === tenant.chatId).sort((a, b) => a.sent_at - b.sent_at);
    const seqs = inChat.map((message) => parseTag(message.text)?.seq ?? -1);
    const inOrder = inChat.length === perTenant && seqs.every((seq, i) => seq === i);
    const spanMs = inChat.length > 1 ? (inChat[inChat.length - 1]?.sent_at ?? 0) - (inChat[0]?.sent_at ?? 0) : NaN;
    // Achieved messages/s in the chat over the allowed 1 message/s.
    return { chatId: tenant.chatId, messages: inChat.length, inOrder, spanMs, pace: (inChat.length - 1) / (spanMs / 1000) / ALLOWED_PER_CHAT_PER_SECOND };
  });
  const paces = perChat.map((chat) => chat.pace);
  return {
    leads: tenants.length * perTenant,
    chats: tenants.length,
    accepted,
    delivered: messages.length,
    submitWallMs,
    wallMs: lastSent - (performance.timeOrigin + started),
    tooManyRequests: after.too_many_requests - before.too_many_requests,
    allInOrder: perChat.every((chat) => chat.inOrder),
    paceMin: Math.min(...paces),
    paceMedian: median(paces),
    expectedWallMs: ((perTenant - 1) / ALLOWED_PER_CHAT_PER_SECOND) * 1000,
    cpu,
    perChat,
  };
}

/** Before starting: is someone else using the machine? Waits up to a minute for it to calm down. */
async function checkQuiet(meter: CpuMeter): Promise<number> {
  let others = NaN;
  for (let waited = 0; waited <= 60_000; waited += 2000) {
    const start = meter.sample();
    await sleep(2000);
    others = meter.since(start).othersPct;
    if (!(others > SETTINGS.busyThresholdPct)) break;
    if (waited === 0) log(`other processes are using ${fmt(others, 0)}% of the CPU; waiting up to 60 s for a quieter machine…`);
  }
  return others;
}

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const runStarted = Date.now();
  const runId = randomUUID().slice(0, 6);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "leadgram-bench-"));
  const profileDir = path.join(resultsDir, "profiles");
  // Node refuses --cpu-prof in NODE_OPTIONS; bench/cpu-profile.mjs does the same through the inspector.
  const profileEnv: Record<string, string> = SETTINGS.cpuProfile
    ? { NODE_OPTIONS: `--import=${pathToFileURL(path.join(root, "bench/cpu-profile.mjs")).href}`, BENCH_CPU_PROF_DIR: profileDir }
    : {};
  if (SETTINGS.cpuProfile) mkdirSync(profileDir, { recursive: true });
  const meter = new CpuMeter();
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
    databaseDir: tmp,
  };
  const command = `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;
  log(`Leadgram lead benchmark — ${new Date(runStarted).toISOString()}`);
  log(`machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverageAtStart.join(" ")}`);
  log(`command: ${command}`);
  log(`databases: SQLite files in ${tmp} (WAL, synchronous=FULL)`);
  const othersAtStart = await checkQuiet(meter);
  log(`other processes at start: ${fmt(othersAtStart, 0)}% of the machine's CPU`);
  log();

  let sandbox: RunningSandbox | undefined;
  let baseline: Baseline | undefined;
  let app: AppServer | undefined;
  try {
    // The sandbox runs in this process: its sent_at and the client's 201 share one clock.
    sandbox = await startSandbox();
    const sb = new SandboxClient(sandbox.url);

    // 1. Baseline.
    baseline = await startBaseline(`file:${path.join(tmp, "baseline.db")}`, profileEnv);
    meter.track(baseline.pid);
    log(`baseline: ${baseline.url} (journal_mode=${baseline.journalMode}, synchronous=${baseline.synchronous} [2 = FULL])`);
    const baselineResults = await throughputPhase("baseline", baseline.url, ["baseline"], "B", {
      meter,
      concurrencies: SETTINGS.concurrencies,
      requests: SETTINGS.requests,
      warmup: SETTINGS.warmupRequests,
    });
    await baseline.stop();
    baseline = undefined;
    meter.untrackServers();

    // 2. The app and its tenants, registered through the API like real owners.
    const appLog = path.join(tmp, "app.log");
    app = await startApp(
      {
        DATABASE_URL: `file:${path.join(tmp, "app.db")}`,
        TELEGRAM_API_URL: sandbox.url,
        LEADS_PER_MINUTE_PER_CLIENT: "1000000",
        LEADS_PER_MINUTE_PER_SITE: "1000000",
        SIGNUPS_PER_HOUR_PER_CLIENT: "1000000",
        ...profileEnv,
      },
      appLog,
    );
    meter.track(findPid("scripts/server.mjs", "PORT", String(app.port)));
    log(`app: ${app.url} (log: ${appLog})`);
    const setupStarted = performance.now();
    const allTenants = await mapLimited(
      Array.from({ length: Math.max(SETTINGS.throughputTenants, SETTINGS.tenants) + 1 }, (_, i) => i),
      4,
      (i) => registerTenant(app!.url, sb, i, runId),
    );
    const oneChat = allTenants.pop() as Tenant;
    const tenants = allTenants.slice(0, SETTINGS.tenants);
    log(`app: ${allTenants.length + 1} tenants registered, each with its own sandbox bot and private chat (${fmt((performance.now() - setupStarted) / 1000)} s)`);

    // Warm the submission and delivery paths: one lead per tenant, delivered; then let the
    // per-chat pacing windows (1 s) lapse.
    const warmSince = epochMs();
    const warmAgent = createAgent(8);
    await Promise.all(tenants.map((tenant, i) => postJson(warmAgent, leadUrl(app!.url, tenant.siteKey), leadBody(`W.${tenant.index}.0`, i), { "user-agent": USER_AGENT })));
    warmAgent.destroy();
    const warmed = await waitForPhaseMessages(sb, "W", tenants.length, warmSince, 20_000);
    if (warmed.length < tenants.length) throw new Error(`warm-up: only ${warmed.length}/${tenants.length} notifications arrived`);
    await sleep(1500);

    // 4. 201 → sendMessage, flood limits on.
    log(`app: 201 → sendMessage: ${SETTINGS.latencyLeads} leads at ${SETTINGS.latencyRatePerSecond}/s over ${tenants.length} tenants`);
    const sendLatency = await sendLatencyPhase(sb, app.url, tenants, meter);
    log(`  p50 ${fmt(sendLatency.ms.p50)} ms, p99 ${fmt(sendLatency.ms.p99)} ms (${sendLatency.delivered}/${sendLatency.leads} matched)`);
    await sleep(1500);

    // 5. Bursts, flood limits on.
    log(`app: burst (a): ${tenants.length * SETTINGS.burstPerTenant} leads over ${tenants.length} chats`);
    const burstA = await burstPhase(sb, app.url, tenants, SETTINGS.burstPerTenant, "A", meter);
    log(`  ${burstA.delivered}/${burstA.leads} delivered in ${fmt(burstA.wallMs / 1000, 2)} s, 429s: ${burstA.tooManyRequests}, pace min ${fmt(burstA.paceMin, 3)}`);
    log(`app: burst (b): ${SETTINGS.burstOneChat} leads into one chat (about ${SETTINGS.burstOneChat - 1} s at 1 msg/s)`);
    const burstB = await burstPhase(sb, app.url, [oneChat], SETTINGS.burstOneChat, "O", meter);
    log(`  ${burstB.delivered}/${burstB.leads} delivered in ${fmt(burstB.wallMs / 1000, 2)} s, 429s: ${burstB.tooManyRequests}, pace ${fmt(burstB.paceMin, 3)}`);
    await sleep(1500);

    // 3. Throughput last, so whatever delivery backlog it leaves cannot touch the delivery
    // measurements above. Flood limits stay on: the app paces itself.
    const tpStats = await sb.stats();
    const appResults = await throughputPhase("app", app.url, allTenants.map((tenant) => tenant.siteKey), "T", {
      meter,
      concurrencies: SETTINGS.concurrencies,
      requests: SETTINGS.requests,
      warmup: SETTINGS.warmupRequests,
      sb,
      drain: true,
    });
    const throughput429s = (await sb.stats()).too_many_requests - tpStats.too_many_requests;
    // Diagnostic: the same submissions into one tenant, whose notifications the app paces at
    // 1 message/s, so almost no delivery work runs alongside: the submission path alone.
    const submitOnly = (
      await throughputPhase("app, submission only", app.url, [oneChat.siteKey], "S", {
        meter,
        concurrencies: [16],
        requests: SETTINGS.diagnosticRequests,
        warmup: 0,
        sb,
        drain: false,
      })
    ).c16 as ThroughputRun;
    log("app: 1 GB uploads (declared and chunked) to the sign-up, token, sign-in, webhook, tenant and public lead routes");
    const uploads = await uploadPhase(app.url, app.pid, oneChat.siteKey);
    await app.stop();
    app = undefined;

    // ---- report ---------------------------------------------------------------------------
    const targets: Target[] = [];
    const throughputRows: (string | number)[][] = [];
    const ratios: Record<string, { throughput: number; p99: number }> = {};
    const row = (name: string, result: ThroughputRun, requests: number) => [
      name,
      result.concurrency,
      `${result.accepted}/${requests}`,
      fmt(result.acceptedPerSecond, 0),
      fmt(result.latencyMs.p50, 1),
      fmt(result.latencyMs.p99, 1),
      fmt(result.latencyMs.max, 1),
      fmt(result.wallMs / 1000, 1),
      result.delivery ? `${result.delivery.sentDuringRun}` : "—",
      fmt(result.cpu.othersPct, 0),
    ];
    for (const concurrency of SETTINGS.concurrencies) {
      const key = `c${concurrency}`;
      const base = baselineResults[key] as ThroughputRun;
      const ours = appResults[key] as ThroughputRun;
      throughputRows.push(row("baseline", base, SETTINGS.requests), row(`app, ${allTenants.length} tenants`, ours, SETTINGS.requests));
      const ratio = { throughput: ours.acceptedPerSecond / base.acceptedPerSecond, p99: ours.latencyMs.p99 / base.latencyMs.p99 };
      ratios[key] = ratio;
      targets.push({ name: `c=${concurrency}: throughput app/baseline`, value: `${fmt(ratio.throughput, 2)}×`, target: `≥ ${TARGETS.throughputRatio}×`, pass: ratio.throughput >= TARGETS.throughputRatio });
      targets.push({ name: `c=${concurrency}: p99 app/baseline`, value: `${fmt(ratio.p99, 2)}×`, target: `≤ ${TARGETS.p99Ratio}×`, pass: ratio.p99 <= TARGETS.p99Ratio });
    }
    throughputRows.push(row("app, 1 tenant (diagnostic)", submitOnly, SETTINGS.diagnosticRequests));
    const sendComplete = sendLatency.delivered === sendLatency.leads;
    targets.push({ name: "201 → sendMessage p50", value: `${fmt(sendLatency.ms.p50)} ms`, target: `< ${TARGETS.sendP50Ms} ms`, pass: sendComplete && sendLatency.ms.p50 < TARGETS.sendP50Ms });
    targets.push({ name: "201 → sendMessage p99", value: `${fmt(sendLatency.ms.p99)} ms`, target: `< ${TARGETS.sendP99Ms} ms`, pass: sendComplete && sendLatency.ms.p99 < TARGETS.sendP99Ms });
    for (const [name, burst] of [[`burst (a) ${burstA.chats} chats`, burstA], ["burst (b) one chat", burstB]] as const) {
      targets.push({
        name: `${name}: delivered, in order`,
        value: `${burst.delivered}/${burst.leads}, ${burst.allInOrder ? "in order" : "OUT OF ORDER"}`,
        target: "all, in order",
        pass: burst.delivered === burst.leads && burst.allInOrder,
      });
      targets.push({ name: `${name}: 429s`, value: String(burst.tooManyRequests), target: "0", pass: burst.tooManyRequests === 0 });
      targets.push({ name: `${name}: pace (min over chats)`, value: fmt(burst.paceMin, 3), target: `≥ ${TARGETS.pace}`, pass: burst.paceMin >= TARGETS.pace });
    }

    log();
    log(`Throughput and latency of POST /api/v1/public/leads/<site_key> (closed loop, keep-alive, ${SETTINGS.requests} requests after ${SETTINGS.warmupRequests} warm-up)`);
    log(table(["server", "conc.", "accepted", "leads/s", "p50 ms", "p99 ms", "max ms", "wall s", "notified in run", "others' CPU %"], throughputRows));
    log(
      `app: leads round robin over ${allTenants.length} tenants, each with its own bot and private chat, so every lead is also delivered while the run goes on ` +
        `(the app paces itself at 1 msg/s per chat, so fewer chats would queue the notifications instead); sandbox flood limits ON (defaults), 429s: ${throughput429s}.`,
    );
    log("baseline: bench/baseline-server.ts, one tenant, no delivery. app, 1 tenant: the same submissions into one tenant, whose notifications wait for the 1 msg/s pacing — the submission path without delivery work.");
    log("others' CPU % = share of the machine used by processes other than the bench, its sandbox and the server under test during that run.");
    log();
    log(`201 → sendMessage (${sendLatency.leads} leads at ${sendLatency.ratePerSecond}/s, ${sendLatency.tenants} tenants round robin, flood limits ${sendLatency.floodLimits})`);
    const latencyRow = (name: string, summary: Summary) => [name, summary.count, fmt(summary.min, 1), fmt(summary.p50, 1), fmt(summary.p90, 1), fmt(summary.p99, 1), fmt(summary.max, 1)];
    log(
      table(
        ["measure", "n", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms"],
        [latencyRow("submission (request → 201)", sendLatency.submitMs), latencyRow("201 received → sendMessage recorded", sendLatency.ms)],
      ),
    );
    log();
    log("Bursts with Telegram's flood limits on (sandbox defaults: private chat 1 msg/s with a burst of 3, 30 msg/s per bot)");
    const burstRow = (name: string, burst: BurstReport) => [
      name,
      burst.delivered,
      burst.allInOrder ? "yes" : "NO",
      burst.tooManyRequests,
      fmt(burst.paceMin, 3),
      fmt(burst.paceMedian, 3),
      fmt(burst.submitWallMs / 1000, 2),
      fmt(burst.wallMs / 1000, 2),
      fmt(burst.expectedWallMs / 1000, 0),
      fmt(burst.cpu.othersPct, 0),
    ];
    log(
      table(
        ["burst", "delivered", "in order", "429s", "pace min", "pace median", "submit s", "wall s", "ideal s", "others' CPU %"],
        [burstRow(`(a) ${SETTINGS.burstPerTenant} leads × ${burstA.chats} chats`, burstA), burstRow(`(b) ${burstB.leads} leads × 1 chat`, burstB)],
      ),
    );
    log("pace = (messages in the chat − 1) / (last sent_at − first sent_at), in msg/s over the allowed 1 msg/s; wall = first submission → last message; ideal = (leads per chat − 1) s");
    log();
    log("1 GB uploads: each refused with 413 before the body is read (the client stops sending at the answer)");
    log(table(["route", "body", "status", "ms to answer", "MiB sent"], uploads.runs.map((run) => [run.route, run.mode, String(run.status), fmt(run.msToAnswer, 1), fmt(run.sentMiB, 0)])));
    log(`server RSS growth over all of them: ${fmt(uploads.rssGrowthMiB, 1)} MiB`);
    targets.push({ name: "1 GB upload: refused (413) within", value: `${fmt(uploads.maxMsToAnswer, 0)} ms${uploads.allRefused ? "" : ", NOT ALL 413"}`, target: `< ${TARGETS.uploadRefusedMs} ms`, pass: uploads.allRefused && uploads.maxMsToAnswer < TARGETS.uploadRefusedMs });
    targets.push({ name: "1 GB uploads: server RSS growth", value: `${fmt(uploads.rssGrowthMiB, 1)} MiB`, target: `< ${TARGETS.uploadRssGrowthMiB} MiB`, pass: uploads.rssGrowthMiB < TARGETS.uploadRssGrowthMiB });
    log();
    log("Targets");
    log(table(["target", "value", "wanted", "result"], targets.map((target) => [target.name, target.value, target.target, target.pass ? "PASS" : "FAIL"])));
    const othersMax = Math.max(othersAtStart, sendLatency.cpu.othersPct, burstA.cpu.othersPct, burstB.cpu.othersPct, ...Object.values(baselineResults).map((r) => r.cpu.othersPct), ...Object.values(appResults).map((r) => r.cpu.othersPct));
    if (othersMax > SETTINGS.busyThresholdPct) {
      log(`WARNING: other processes used up to ${fmt(othersMax, 0)}% of the machine's CPU during this run; throughput and latency figures are understated. Re-run on a quiet machine.`);
    }
    // 6. The 1 M-lead phase (bench/scale.ts), on its own servers and databases.
    const scaleSettings = scaleSettingsFrom(args);
    const scaleRuns = flag("skip-scale") ? [] : await runScaleBench(scaleSettings, meter);
    const scaleTargets = scaleRuns.length > 0 ? printScaleReport(scaleRuns, scaleSettings) : [];
    const totalSeconds = (Date.now() - runStarted) / 1000;
    log();
    log(`total run time ${fmt(totalSeconds)} s; JSON: bench/results/latest.json`);

    mkdirSync(resultsDir, { recursive: true });
    const results = {
      startedAt: new Date(runStarted).toISOString(),
      command,
      machine: { ...machine, othersCpuPctAtStart: othersAtStart, othersCpuPctMax: othersMax },
      settings: SETTINGS,
      targets: TARGETS,
      throughput: {
        baseline: baselineResults,
        app: appResults,
        appSubmissionOnly: submitOnly,
        ratios,
        appDeliveries: { tenants: allTenants.length, sandboxFloodLimits: "on", tooManyRequests: throughput429s },
      },
      sendLatency,
      bursts: { a: burstA, b: burstB },
      uploads,
      scale: { settings: scaleSettings, runs: scaleRuns },
      summary: [...targets, ...scaleTargets],
      allPassed: [...targets, ...scaleTargets].every((target) => target.pass),
      totalSeconds,
    };
    writeFileSync(path.join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    if (SETTINGS.cpuProfile) log(`CPU profiles (app: server-<pid>, baseline: baseline-server-<pid>): ${profileDir}`);
  } finally {
    await baseline?.stop();
    await app?.stop();
    await sandbox?.close();
    if (!flag("keep-db")) rmSync(tmp, { recursive: true, force: true });
  }
}

// A hard stop, whatever happens: the bench is bounded in time.
const watchdog = setTimeout(() => {
  console.error("bench: still running after 25 minutes; giving up");
  process.exit(3);
}, 1_500_000);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
