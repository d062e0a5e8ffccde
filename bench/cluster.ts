// Multi-instance benchmark: `npm run bench:cluster` (see bench/README.md).
//
// The production shape of issue 12 on one machine, every part a real process: a throwaway
// PostgreSQL (tests/support/postgres-server.ts), web instances with RUN_DELIVERY=false,
// delivery workers (`npm run worker`), and the Telegram sandbox in this process (so its
// sent_at and the client's 201 share one clock). Loopback only, bounded (about 6-8 minutes;
// a watchdog stops it after 15):
//   1. intake: the bare node:http + pg baseline (bench/baseline-server.ts, a database of its
//      own on the same server), then one web instance, then two taken in turn, each at
//      concurrency 16 and 64, with one worker delivering meanwhile
//   2. 201 → sendMessage across processes: two web instances, two workers
//   3. delivery drains: leads queued per chat while no worker runs, then one worker, then two
//   4. the in-process reference: one `npm start` server (HTTP and delivery) on the same
//      database, 201 → sendMessage as in 2
// Every process's VmRSS idle and at its peak in each phase. Prints tables and writes
// bench/results/cluster.json.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SandboxClient } from "../sandbox/client";
import { startSandbox, type RunningSandbox } from "../sandbox/start-sandbox";
import type { AppServer } from "../tests/support/app-server";
import { startTemporaryPostgres, type TemporaryPostgres } from "../tests/support/postgres-server";
import { startWorker, type WorkerProcess } from "../tests/support/worker-process";
import { startApp } from "./app";
import { startBaseline, type Baseline } from "./baseline";
import { createSiblingDatabase, drainPhase, waitForEmptyOutbox, type DrainReport } from "./cluster-phases";
import { printClusterReport, workersName, type IntakeSetup } from "./cluster-report";
import { CpuMeter, findPidByArguments } from "./cpu-meter";
import { createAgent, epochMs, postJson, sleep } from "./load";
import { idleRssMiB, watchRss } from "./memory";
import { checkQuiet, sendLatencyPhase, throughputPhase, type SendLatency } from "./phases";
import { fmt, log } from "./report";
import { parseClusterArgs } from "./settings";
import { mapLimited, registerTenant } from "./tenants";
import { leadBody, leadUrl, USER_AGENT, waitForPhaseMessages } from "./traffic";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench/results");
/** Long enough for any backlog a phase leaves; a phase that waited this long is reported as such. */
const OUTBOX_DRAIN_TIMEOUT_MS = 90_000;

/** Every process the bench started, so that whatever happens they are all stopped. */
class Processes {
  private readonly running = new Map<string, { pid: number; stop: () => Promise<unknown> }>();

  add(name: string, started: { pid: number; stop: () => Promise<unknown> }): void {
    this.running.set(name, started);
  }

  pid(name: string): number {
    return this.running.get(name)?.pid ?? NaN;
  }

  pids(...names: string[]): Record<string, number> {
    return Object.fromEntries(names.map((name) => [name, this.pid(name)]));
  }

  async stop(...names: string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const started = this.running.get(name);
        this.running.delete(name);
        await started?.stop();
      }),
    );
  }

  async stopAll(): Promise<void> {
    await this.stop(...this.running.keys());
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const settings = parseClusterArgs(args);
  const runStarted = Date.now();
  const runId = randomUUID().slice(0, 6);
  const logDir = mkdtempSync(path.join(os.tmpdir(), "leadgram-cluster-bench-"));
  const logFile = (name: string) => path.join(logDir, `${name.replace(" ", "-")}.log`);
  const meter = new CpuMeter();
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
    logDir,
  };
  const command = `npm run bench:cluster${args.length ? ` -- ${args.join(" ")}` : ""}`;
  log(`Leadgram multi-instance benchmark — ${new Date(runStarted).toISOString()}`);
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverageAtStart.join(" ")}`,
  );
  log(`command: ${command}`);
  log(`process logs: ${logDir}`);
  const othersAtStart = await checkQuiet(meter, settings.busyThresholdPct);
  log(`other processes at start: ${fmt(othersAtStart, 0)}% of the machine's CPU`);
  log();

  const processes = new Processes();
  let postgres: TemporaryPostgres | undefined;
  let sandbox: RunningSandbox | undefined;
  let sql: pg.Pool | undefined;
  let succeeded = false;
  const idle: Record<string, number> = {};
  const peaks: Record<string, Record<string, number>> = {};
  const latency: { name: string; result: SendLatency }[] = [];
  const drains: DrainReport[] = [];
  try {
    postgres = await startTemporaryPostgres();
    const postgresPort = new URL(postgres.url).port;
    // The server and its connections' processes count as the bench's own CPU.
    meter.trackTree(findPidByArguments(["-p", postgresPort]));
    sql = new pg.Pool({ connectionString: postgres.url, max: 2 });
    sandbox = await startSandbox();
    const sb = new SandboxClient(sandbox.url);
    const env = {
      DATABASE_URL: postgres.url,
      TELEGRAM_API_URL: sandbox.url,
      // All the load comes from one client address: the intake throttles are not what is measured.
      LEADS_PER_MINUTE_PER_CLIENT: "1000000",
      LEADS_PER_MINUTE_PER_SITE: "1000000",
      SIGNUPS_PER_HOUR_PER_CLIENT: "1000000",
    };
    const startWeb = async (name: string) => {
      const web: AppServer = await startApp({ ...env, RUN_DELIVERY: "false" }, logFile(name));
      processes.add(name, web);
      meter.track(web.pid);
      return web;
    };
    const startNamedWorker = async (name: string) => {
      const worker: WorkerProcess = await startWorker(env, logFile(name));
      processes.add(name, worker);
      meter.track(worker.pid);
      return worker;
    };
    const measureIdle = async (...names: string[]) => {
      const figures = await Promise.all(names.map((name) => idleRssMiB(processes.pid(name))));
      names.forEach((name, i) => (idle[name] = figures[i] ?? NaN));
      log(`idle RSS: ${names.map((name) => `${name} ${fmt(idle[name] ?? NaN, 0)} MiB`).join(", ")}`);
    };
    /**
     * Runs `work` as a phase: the peak RSS of `names` meanwhile, and then (once the app's
     * database exists) waits for the outbox to empty, so that no phase inherits a backlog.
     */
    const phase = async <T>(title: string, names: string[], work: () => Promise<T>, outbox = true): Promise<T> => {
      const watch = watchRss(processes.pids(...names));
      const result = await work();
      if (outbox && !(await waitForEmptyOutbox(sql as pg.Pool, OUTBOX_DRAIN_TIMEOUT_MS)))
        log(`  ${title}: the outbox still had deliveries after ${OUTBOX_DRAIN_TIMEOUT_MS / 1000} s`);
      peaks[title] = watch.stop();
      return result;
    };
    const floodRefusals = async () => (await sb.stats()).rate_limited;

    // 1a. The baseline, on a database of its own so that its rows stay out of the app's outbox.
    const baseline: Baseline = await startBaseline(await createSiblingDatabase(postgres.url, "baseline"), {});
    processes.add("baseline", { pid: baseline.pid ?? NaN, stop: baseline.stop });
    meter.track(baseline.pid);
    log(`baseline: ${baseline.url} (${baseline.durability})`);
    await measureIdle("baseline");
    const intakeCommon = {
      meter,
      concurrencies: settings.concurrencies,
      requests: settings.requests,
      warmup: settings.warmupRequests,
      deadlineMs: settings.runDeadlineMs,
    };
    const baselineRuns = await phase(
      "intake: baseline",
      ["baseline"],
      () => throughputPhase("baseline", baseline.url, ["baseline"], "B", intakeCommon),
      false,
    );
    await processes.stop("baseline");
    meter.untrackServers();

    // The first web instance applies the migrations; sites are signed up through it like real owners.
    const webA = await startWeb("web a");
    log(`web a: ${webA.url}`);
    await measureIdle("web a");
    const setupStarted = performance.now();
    const tenants = await mapLimited(
      Array.from({ length: settings.chats }, (_, i) => i),
      4,
      (i) => registerTenant(webA.url, sb, i, runId),
    );
    const siteKeys = tenants.map((tenant) => tenant.siteKey);
    log(
      `${tenants.length} sites signed up, each with its own sandbox bot and private chat (${fmt((performance.now() - setupStarted) / 1000)} s)`,
    );
    await startNamedWorker("worker 1");
    await measureIdle("worker 1");
    // Warm the submission and delivery paths: one lead per site, all delivered.
    const warmSince = epochMs();
    const warmAgent = createAgent(16);
    await mapLimited(tenants, 16, (tenant) =>
      postJson(warmAgent, leadUrl(webA.url, tenant.siteKey), leadBody(`W.${tenant.index}.0`, 0), {
        "user-agent": USER_AGENT,
      }),
    );
    warmAgent.destroy();
    const warmed = await waitForPhaseMessages(sb, "W", tenants.length, warmSince, 60_000);
    if (warmed.length < tenants.length)
      throw new Error(`warm-up: only ${warmed.length}/${tenants.length} notifications arrived`);
    await sleep(1500);

    // 1b. One web instance.
    const intakeOptions = { ...intakeCommon, sb, drain: true };
    let refusedBefore = await floodRefusals();
    const oneWeb: IntakeSetup = {
      name: "1 web instance",
      runs: await phase("intake: 1 web", ["web a", "worker 1"], () =>
        throughputPhase("1 web", webA.url, siteKeys, "Ta", intakeOptions),
      ),
    };
    oneWeb.floodRefusals = (await floodRefusals()) - refusedBefore;
    await sleep(1500);

    // 1c. Two web instances, taken in turn.
    const webB = await startWeb("web b");
    log(`web b: ${webB.url}`);
    await measureIdle("web b");
    refusedBefore = await floodRefusals();
    const twoWebs: IntakeSetup = {
      name: "2 web instances",
      runs: await phase("intake: 2 webs", ["web a", "web b", "worker 1"], () =>
        throughputPhase("2 webs", [webA.url, webB.url], siteKeys, "Tb", intakeOptions),
      ),
    };
    twoWebs.floodRefusals = (await floodRefusals()) - refusedBefore;

    // 2. 201 → sendMessage across processes: the production shape, two and two.
    await startNamedWorker("worker 2");
    await measureIdle("worker 2");
    log(
      `201 → sendMessage, 2 web + 2 workers: ${settings.latencyLeads} leads at ${settings.latencyRatePerSecond}/s over ${tenants.length} sites`,
    );
    const crossProcess = await phase("latency: 2 web + 2 workers", ["web a", "web b", "worker 1", "worker 2"], () =>
      sendLatencyPhase(sb, [webA.url, webB.url], tenants, meter, settings),
    );
    latency.push({ name: "2 web instances + 2 workers", result: crossProcess });
    log(
      `  p50 ${fmt(crossProcess.ms.p50)} ms, p99 ${fmt(crossProcess.ms.p99)} ms (${crossProcess.delivered}/${crossProcess.leads})`,
    );

    // 3. Delivery drains: the workers stop (SIGTERM: they finish and release their lanes).
    await processes.stop("worker 1", "worker 2");
    meter.untrackServers();
    meter.track(webA.pid);
    meter.track(webB.pid);
    for (const [workers, names] of [
      [1, ["worker 1"]],
      [2, ["worker 1", "worker 2"]],
    ] as const) {
      await sleep(1500);
      log(
        `delivery: ${settings.perChat} leads per chat over ${tenants.length} chats queued with no worker running, then ${workersName(workers)}`,
      );
      const title = `drain: ${workersName(workers)}`;
      const { report } = await phase(title, ["web a", "web b"], () =>
        drainPhase({
          sb,
          webUrls: [webA.url, webB.url],
          tenants,
          perChat: settings.perChat,
          tag: `D${workers}`,
          meter,
          startWorkers: async () =>
            Object.fromEntries(
              await Promise.all(names.map(async (name) => [name, await startNamedWorker(name)] as const)),
            ),
          deadlineMs: settings.drainDeadlineMs,
        }),
      );
      // The workers' peaks come from the drain itself (they started inside it).
      Object.assign(peaks[title] ?? {}, report.rssPeakMiB);
      drains.push(report);
      log(
        `  ${report.delivered}/${report.accepted} delivered in ${fmt(report.firstToLastMs / 1000, 2)} s (ideal ${fmt(report.idealMs / 1000, 0)} s): ${fmt(report.messagesPerSecond, 0)} msgs/s, ceiling ${report.ceilingPerSecond}; ${report.chatsInOrder}/${report.chats} chats in order, ${report.duplicates} duplicates, ${report.floodRefusals} flood 429s`,
      );
      await processes.stop(...names);
      meter.untrackServers();
      meter.track(webA.pid);
      meter.track(webB.pid);
    }

    // 4. The in-process reference: one `npm start` server, HTTP and delivery, same database and sites.
    await processes.stop("web a", "web b");
    meter.untrackServers();
    const reference = await startApp(env, logFile("reference"));
    processes.add("reference", reference);
    meter.track(reference.pid);
    log(`reference (npm start, web + delivery in one process): ${reference.url}`);
    await measureIdle("reference");
    const inProcess = await phase("latency: reference", ["reference"], () =>
      sendLatencyPhase(sb, reference.url, tenants, meter, settings),
    );
    latency.push({ name: "reference: 1 npm start server", result: inProcess });
    log(
      `  p50 ${fmt(inProcess.ms.p50)} ms, p99 ${fmt(inProcess.ms.p99)} ms (${inProcess.delivered}/${inProcess.leads})`,
    );
    await processes.stopAll();

    const figures = {
      settings,
      postgres: "throwaway server (tests/support/postgres-server.ts: fsync=off), shared by every process",
      baseline: { name: "baseline (node:http + pg)", runs: baselineRuns },
      apps: [oneWeb, twoWebs],
      latency,
      drains,
      idleRssMiB: idle,
      peakRssMiB: peaks,
      othersAtStart,
      cores: machine.cores,
      loadAverage: {
        start: machine.loadAverageAtStart,
        end: os.loadavg().map((value) => Number(value.toFixed(2))),
      },
    };
    const { ratios, targets, othersMax } = printClusterReport(figures);
    const totalSeconds = (Date.now() - runStarted) / 1000;
    log();
    log(`total run time ${fmt(totalSeconds)} s; JSON: bench/results/cluster.json`);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      path.join(resultsDir, "cluster.json"),
      `${JSON.stringify(
        {
          startedAt: new Date(runStarted).toISOString(),
          command,
          machine: { ...machine, othersCpuPctAtStart: othersAtStart, othersCpuPctMax: othersMax },
          ...figures,
          ratios,
          checks: targets,
          allPassed: targets.every((target) => target.pass),
          totalSeconds,
        },
        null,
        2,
      )}\n`,
    );
    succeeded = true;
  } finally {
    await processes.stopAll();
    await sql?.end();
    await sandbox?.close();
    await postgres?.stop();
    if (succeeded && !settings.keepLogs) rmSync(logDir, { recursive: true, force: true });
    else log(`process logs kept in ${logDir}`);
  }
}

// A hard stop, whatever happens: the bench is bounded in time.
const watchdog = setTimeout(() => {
  console.error("bench:cluster: still running after 15 minutes; giving up");
  process.exit(3);
}, 900_000);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
