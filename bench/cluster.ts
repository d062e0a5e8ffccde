// Multi-instance benchmark: `npm run bench:cluster` (see bench/README.md).
//
// The production shape of issue 12 on one machine, every part a real process: a throwaway
// PostgreSQL (tests/support/postgres-server.ts), web instances with RUN_DELIVERY=false,
// delivery workers (`npm run worker`), and the Telegram sandbox in this process (so its
// sent_at and the client's 201 share one clock). Loopback only, bounded (about 6 minutes on
// the 2-core machine; a watchdog stops it after 15):
//   1. intake: the bare node:http + pg baseline (bench/baseline-server.ts, a database of its
//      own on the same server), then one web instance, then two taken in turn, each at
//      concurrency 16 and 64, with one worker delivering meanwhile
//   2. 201 → sendMessage across processes: two web instances, two workers
//   3. delivery drains: leads queued per chat while no worker runs, then one worker, then two
//   4. the in-process reference: one `npm start` server (HTTP and delivery) on the same
//      database and sites, 201 → sendMessage as in 2
// Every process's VmRSS idle and at its peak in each phase. Prints tables and writes
// bench/results/cluster.json.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SandboxClient } from "../sandbox/client";
import { startSandbox, type RunningSandbox } from "../sandbox/start-sandbox";
import { startTemporaryPostgres, type TemporaryPostgres } from "../tests/support/postgres-server";
import { UNTHROTTLED } from "./app";
import { startBaseline } from "./baseline";
import {
  createSiblingDatabase,
  deliveryAttempts,
  drainPhase,
  waitForEmptyOutbox,
  warmUpSites,
  type DrainReport,
} from "./cluster-phases";
import { ClusterProcesses } from "./cluster-processes";
import { printClusterReport, workersName, type ClusterFigures, type IntakeSetup } from "./cluster-report";
import { CpuMeter, findPidByArguments } from "./cpu-meter";
import { sleep } from "./load";
import { watchRss } from "./memory";
import { checkQuiet, sendLatencyPhase, throughputPhase, type SendLatency } from "./phases";
import { describeMachine, fmt, log, logRunHeader, runBounded, writeRunResults } from "./report";
import { parseClusterArgs, type ClusterSettings } from "./settings";
import { mapLimited, registerTenant, type Tenant } from "./tenants";

/** Long enough for any backlog a phase leaves; a phase that waited this long says so. */
const OUTBOX_DRAIN_TIMEOUT_MS = 90_000;
/** Telegram's per-chat pacing windows (1 s) lapse between phases. */
const BETWEEN_PHASES_MS = 1500;

type Bench = {
  settings: ClusterSettings;
  meter: CpuMeter;
  sb: SandboxClient;
  /** The app's database, to see its outbox. */
  sql: pg.Pool;
  processes: ClusterProcesses;
  /** Per phase, the peak VmRSS (MiB) of each process in it. */
  peaks: Record<string, Record<string, number>>;
};

/**
 * Runs `work` as a phase: the peak RSS of the processes `names` meanwhile, and then (once
 * the app's database exists) waits for the outbox to empty, so that no phase inherits a backlog.
 */
async function phase<T>(bench: Bench, title: string, names: string[], work: () => Promise<T>, outbox = true) {
  const watch = watchRss(bench.processes.pids(...names));
  const result = await work();
  if (outbox && !(await waitForEmptyOutbox(bench.sql, OUTBOX_DRAIN_TIMEOUT_MS)))
    log(`  ${title}: the outbox still had deliveries after ${OUTBOX_DRAIN_TIMEOUT_MS / 1000} s`);
  bench.peaks[title] = watch.stop();
  return result;
}

const intakeSettings = (bench: Bench) => ({
  meter: bench.meter,
  concurrencies: bench.settings.concurrencies,
  requests: bench.settings.requests,
  warmup: bench.settings.warmupRequests,
  deadlineMs: bench.settings.runDeadlineMs,
});

/** 1a. The bare node:http + pg baseline, on a database of its own so its rows stay out of the app's outbox. */
async function baselineIntake(bench: Bench, postgresUrl: string): Promise<IntakeSetup> {
  const baseline = await startBaseline(await createSiblingDatabase(postgresUrl, "baseline"), {});
  bench.processes.add("baseline", { pid: baseline.pid ?? NaN, stop: baseline.stop });
  log(`baseline: ${baseline.url} (${baseline.durability})`);
  await bench.processes.measureIdle("baseline");
  const runs = await phase(
    bench,
    "intake: baseline",
    ["baseline"],
    () => throughputPhase("baseline", baseline.url, ["baseline"], "B", intakeSettings(bench)),
    false,
  );
  await bench.processes.stop("baseline");
  return { name: "baseline (node:http + pg)", runs };
}

/** 1b, 1c. Intake through `setup.webs` (in turn), one worker sending meanwhile. */
async function appIntake(
  bench: Bench,
  setup: { name: string; title: string; tag: string; webs: { name: string; url: string }[] },
  tenants: Tenant[],
): Promise<IntakeSetup> {
  const refusedBefore = (await bench.sb.stats()).rate_limited;
  const runs = await phase(bench, setup.title, [...setup.webs.map((web) => web.name), "worker 1"], () =>
    throughputPhase(
      setup.title,
      setup.webs.map((web) => web.url),
      tenants.map((tenant) => tenant.siteKey),
      setup.tag,
      { ...intakeSettings(bench), sb: bench.sb, drain: true },
    ),
  );
  const floodRefusals = (await bench.sb.stats()).rate_limited - refusedBefore;
  await sleep(BETWEEN_PHASES_MS);
  return { name: setup.name, runs, floodRefusals };
}

/** 2, 4. 201 → sendMessage through `urls`, with the processes `names` running. */
async function latency(bench: Bench, title: string, names: string[], urls: string[], tenants: Tenant[]) {
  const { settings } = bench;
  log(
    `${title}: 201 → sendMessage, ${settings.latencyLeads} leads at ${settings.latencyRatePerSecond}/s over ${tenants.length} sites`,
  );
  const result: SendLatency = await phase(bench, title, names, () =>
    sendLatencyPhase(bench.sb, urls, tenants, bench.meter, settings),
  );
  log(`  p50 ${fmt(result.ms.p50)} ms, p99 ${fmt(result.ms.p99)} ms (${result.delivered}/${result.leads})`);
  return result;
}

/** 3. Leads queued with no worker running, then drained by `workers` new worker processes. */
async function drain(bench: Bench, workers: number, webs: { name: string; url: string }[], tenants: Tenant[]) {
  const { settings, processes } = bench;
  const names = Array.from({ length: workers }, (_, i) => `worker ${i + 1}`);
  const title = `drain: ${workersName(workers)}`;
  await sleep(BETWEEN_PHASES_MS);
  const submittedFrom = Date.now();
  log(
    `${title}: ${settings.perChat} leads per chat over ${tenants.length} chats queued with no worker running, then ${workersName(workers)}`,
  );
  const report = await phase(
    bench,
    title,
    webs.map((web) => web.name),
    () =>
      drainPhase({
        sb: bench.sb,
        webUrls: webs.map((web) => web.url),
        tenants,
        perChat: settings.perChat,
        tag: `D${workers}`,
        meter: bench.meter,
        startWorkers: async () =>
          Object.fromEntries(
            await Promise.all(names.map(async (name) => [name, await processes.startWorker(name)] as const)),
          ),
        deadlineMs: settings.drainDeadlineMs,
      }),
  );
  // The workers started inside the drain, which watched them.
  Object.assign(bench.peaks[title] ?? {}, report.rssPeakMiB);
  const attempts = await deliveryAttempts(bench.sql, submittedFrom);
  log(
    `  ${report.delivered}/${report.accepted} delivered in ${fmt(report.firstToLastMs / 1000, 2)} s (ideal ${fmt(report.idealMs / 1000, 0)} s): ` +
      `${fmt(report.messagesPerSecond, 0)} msgs/s, ceiling ${report.ceilingPerSecond}; ${report.chatsInOrder}/${report.chats} chats in order, ` +
      `${report.duplicates} duplicates, ${report.floodRefusals} flood 429s`,
  );
  log(`  deliveries by attempts: ${JSON.stringify(attempts)}`);
  for (const chat of report.chatsAmiss.slice(0, 3))
    log(`  chat ${chat.chatId} amiss, its leads' numbers in the order sent: ${chat.seqs.join(" ")}`);
  // SIGTERM: they finish their sends and release their lanes.
  await processes.stop(...names);
  return { ...report, attempts };
}

async function runPhases(bench: Bench, postgresUrl: string, runId: string) {
  const { processes, sb, settings } = bench;
  const baseline = await baselineIntake(bench, postgresUrl);

  // The first web instance applies the migrations; the sites sign up through it like real owners.
  const webA = { name: "web a", url: (await processes.startWeb("web a")).url };
  await processes.measureIdle("web a");
  const setupStarted = performance.now();
  const tenants = await mapLimited(
    Array.from({ length: settings.chats }, (_, i) => i),
    4,
    (i) => registerTenant(webA.url, sb, i, runId),
  );
  log(
    `${tenants.length} sites signed up, each with its own sandbox bot and private chat (${fmt((performance.now() - setupStarted) / 1000)} s)`,
  );
  await processes.startWorker("worker 1");
  await processes.measureIdle("worker 1");
  await warmUpSites(sb, webA.url, tenants);

  const oneWeb = await appIntake(
    bench,
    { name: "1 web instance", title: "intake: 1 web", tag: "Ta", webs: [webA] },
    tenants,
  );
  const webB = { name: "web b", url: (await processes.startWeb("web b")).url };
  await processes.measureIdle("web b");
  const webs = [webA, webB];
  const twoWebs = await appIntake(
    bench,
    { name: "2 web instances", title: "intake: 2 webs", tag: "Tb", webs },
    tenants,
  );

  await processes.startWorker("worker 2");
  await processes.measureIdle("worker 2");
  const names = ["web a", "web b", "worker 1", "worker 2"];
  const urls = webs.map((web) => web.url);
  const crossProcess = await latency(bench, "latency: 2 web + 2 workers", names, urls, tenants);

  await processes.stop("worker 1", "worker 2");
  const drains: DrainReport[] = [];
  for (const workers of [1, 2]) drains.push(await drain(bench, workers, webs, tenants));

  await processes.stop("web a", "web b");
  const reference = await processes.startServer("reference");
  await processes.measureIdle("reference");
  const inProcess = await latency(bench, "latency: reference", ["reference"], [reference.url], tenants);
  await processes.stopAll();

  return {
    baseline,
    apps: [oneWeb, twoWebs],
    latency: [
      { name: "2 web instances + 2 workers", result: crossProcess },
      { name: "reference: 1 npm start server", result: inProcess },
    ],
    drains,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const settings = parseClusterArgs(args);
  const runStarted = Date.now();
  const logDir = mkdtempSync(path.join(os.tmpdir(), "leadgram-cluster-bench-"));
  const meter = new CpuMeter();
  const machine = { ...describeMachine(), logDir };
  const command = `npm run bench:cluster${args.length ? ` -- ${args.join(" ")}` : ""}`;
  logRunHeader("Leadgram multi-instance benchmark", runStarted, command, machine);
  log(`process logs: ${logDir}`);
  const othersAtStart = await checkQuiet(meter, settings.busyThresholdPct);
  log(`other processes at start: ${fmt(othersAtStart, 0)}% of the machine's CPU`);
  log();

  let postgres: TemporaryPostgres | undefined;
  let sandbox: RunningSandbox | undefined;
  let sql: pg.Pool | undefined;
  let processes: ClusterProcesses | undefined;
  let succeeded = false;
  let stopped: Promise<void> | undefined;
  stopEverything = () =>
    (stopped ??= (async () => {
      // Each step whatever became of the one before: a failed stop must not leave the database running.
      for (const step of [() => processes?.stopAll(), () => sql?.end(), () => sandbox?.close(), () => postgres?.stop()])
        await Promise.resolve()
          .then(step)
          .catch((error: unknown) => console.error(`bench:cluster: while stopping: ${String(error)}`));
      if (succeeded && !settings.keepLogs) rmSync(logDir, { recursive: true, force: true });
      else log(`process logs kept in ${logDir}`);
    })());
  try {
    postgres = await startTemporaryPostgres();
    // The server and its connections' processes count as the bench's own CPU.
    const postmaster = findPidByArguments(["-p", new URL(postgres.url).port]);
    meter.trackTree(postmaster);
    sql = new pg.Pool({ connectionString: postgres.url, max: 2 });
    sandbox = await startSandbox();
    const env = {
      DATABASE_URL: postgres.url,
      TELEGRAM_API_URL: sandbox.url,
      ...UNTHROTTLED,
    };
    processes = new ClusterProcesses(meter, env, (name) => path.join(logDir, `${name.replace(/ /g, "-")}.log`));
    if (postmaster !== undefined) processes.roles[postmaster] = "PostgreSQL";
    const bench: Bench = { settings, meter, sb: new SandboxClient(sandbox.url), sql, processes, peaks: {} };
    const results = await runPhases(bench, postgres.url, randomUUID().slice(0, 6));

    const figures: ClusterFigures = {
      settings,
      roles: processes.roles,
      postgres: "throwaway server (tests/support/postgres-server.ts: fsync=off), shared by every process",
      ...results,
      idleRssMiB: processes.idleRssMiB,
      peakRssMiB: bench.peaks,
      othersAtStart,
      cores: machine.cores,
      loadAverage: {
        start: machine.loadAverageAtStart,
        end: os.loadavg().map((value) => Number(value.toFixed(2))),
      },
    };
    const { ratios, targets, othersMax } = printClusterReport(figures);
    writeRunResults(
      "cluster.json",
      { startedAt: runStarted, command, machine, othersAtStart, othersMax },
      {
        ...figures,
        ratios,
        checks: targets,
        allPassed: targets.every((target) => target.pass),
      },
    );
    succeeded = true;
  } finally {
    await stopEverything();
  }
}

/** Stops what the run started; also on Ctrl-C, so that no throwaway PostgreSQL outlives the bench. */
let stopEverything = async (): Promise<void> => {};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench:cluster: ${signal}, stopping the processes it started`);
    void stopEverything().finally(() => process.exit(130));
  });
}

runBounded("bench:cluster", main, 15 * 60_000, () => stopEverything());
