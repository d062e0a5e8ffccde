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
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SandboxClient } from "../sandbox/client";
import { serveNodeArgs } from "../scripts/serve-command.mjs";
import { startSandbox, type RunningSandbox } from "../sandbox/start-sandbox";
import type { AppServer } from "../tests/support/app-server";
import { startApp, UNTHROTTLED } from "./app";
import { startBaseline, type Baseline } from "./baseline";
import { CpuMeter, findPid } from "./cpu-meter";
import { printLeadReport, TARGETS } from "./leads-report";
import { sleep } from "./load";
import { idleRssMiB } from "./memory";
import { burstPhase, checkQuiet, sendLatencyPhase, setUpTenants, throughputPhase, type ThroughputRun } from "./phases";
import { describeMachine, fmt, log, logRunHeader, runBounded, writeRunResults } from "./report";
import { printScaleReport, runScaleBench } from "./scale";
import { parseBenchArgs } from "./settings";
import { uploadPhase } from "./uploads";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench/results");

// ---- main ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { settings, scale: scaleSettings, skipScale, keepDb } = parseBenchArgs(args);
  const runStarted = Date.now();
  const runId = randomUUID().slice(0, 6);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "leadgram-bench-"));
  const profileDir = path.join(resultsDir, "profiles");
  // Node refuses --cpu-prof in NODE_OPTIONS; bench/cpu-profile.mjs does the same through the inspector.
  const profileEnv: Record<string, string> = settings.cpuProfile
    ? {
        NODE_OPTIONS: `--import=${pathToFileURL(path.join(root, "bench/cpu-profile.mjs")).href}`,
        BENCH_CPU_PROF_DIR: profileDir,
      }
    : {};
  if (settings.cpuProfile) mkdirSync(profileDir, { recursive: true });
  const meter = new CpuMeter();
  const machine = { ...describeMachine(), databaseDir: tmp };
  const command = `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`;
  logRunHeader("Leadgram lead benchmark", runStarted, command, machine);
  log(`databases: SQLite files in ${tmp} (WAL, synchronous=FULL)`);
  const othersAtStart = await checkQuiet(meter, settings.busyThresholdPct);
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
    log(`baseline: ${baseline.url} (${baseline.durability})`);
    const baselineIdleMiB = await idleRssMiB(baseline.pid);
    const baselineResults = await throughputPhase("baseline", baseline.url, ["baseline"], "B", {
      meter,
      pid: baseline.pid,
      concurrencies: settings.concurrencies,
      requests: settings.requests,
      warmup: settings.warmupRequests,
      deadlineMs: settings.runDeadlineMs,
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
        ...UNTHROTTLED,
        ...profileEnv,
      },
      appLog,
    );
    meter.track(findPid("scripts/server.mjs", "PORT", String(app.port)));
    log(`app: ${app.url} (log: ${appLog})`);
    const appIdleMiB = await idleRssMiB(app.pid);
    log(`idle RSS: baseline ${fmt(baselineIdleMiB, 0)} MiB, app ${fmt(appIdleMiB, 0)} MiB`);
    const { allTenants, tenants, oneChat } = await setUpTenants(sb, app.url, settings, runId);

    // 3. 201 → sendMessage, flood limits on.
    log(
      `app: 201 → sendMessage: ${settings.latencyLeads} leads at ${settings.latencyRatePerSecond}/s over ${tenants.length} tenants`,
    );
    const sendLatency = await sendLatencyPhase(sb, app.url, tenants, meter, settings);
    log(
      `  p50 ${fmt(sendLatency.ms.p50)} ms, p99 ${fmt(sendLatency.ms.p99)} ms (${sendLatency.delivered}/${sendLatency.leads} matched)`,
    );
    await sleep(1500);

    // 4. Bursts, flood limits on.
    log(`app: burst (a): ${tenants.length * settings.burstPerTenant} leads over ${tenants.length} chats`);
    const burstA = await burstPhase(sb, app.url, tenants, settings.burstPerTenant, "A", meter);
    log(
      `  ${burstA.delivered}/${burstA.leads} delivered in ${fmt(burstA.wallMs / 1000, 2)} s, 429s: ${burstA.tooManyRequests}, pace min ${fmt(burstA.paceMin, 3)}`,
    );
    log(
      `app: burst (b): ${settings.burstOneChat} leads into one chat (about ${settings.burstOneChat - 1} s at 1 msg/s)`,
    );
    const burstB = await burstPhase(sb, app.url, [oneChat], settings.burstOneChat, "O", meter);
    log(
      `  ${burstB.delivered}/${burstB.leads} delivered in ${fmt(burstB.wallMs / 1000, 2)} s, 429s: ${burstB.tooManyRequests}, pace ${fmt(burstB.paceMin, 3)}`,
    );
    await sleep(1500);

    // 5. Throughput last, so whatever delivery backlog it leaves cannot touch the delivery
    // measurements above. Flood limits stay on: the app paces itself.
    const tpStats = await sb.stats();
    const appResults = await throughputPhase(
      "app",
      app.url,
      allTenants.map((tenant) => tenant.siteKey),
      "T",
      {
        meter,
        concurrencies: settings.concurrencies,
        requests: settings.requests,
        warmup: settings.warmupRequests,
        deadlineMs: settings.runDeadlineMs,
        sb,
        drain: true,
        pid: app.pid,
      },
    );
    const throughput429s = (await sb.stats()).too_many_requests - tpStats.too_many_requests;
    // Diagnostic: the same submissions into one tenant, whose notifications the app paces at
    // 1 message/s, so almost no delivery work runs alongside: the submission path alone.
    const submitOnly = (
      await throughputPhase("app, submission only", app.url, [oneChat.siteKey], "S", {
        meter,
        concurrencies: [16],
        requests: settings.diagnosticRequests,
        warmup: 0,
        deadlineMs: settings.runDeadlineMs,
        sb,
        drain: false,
      })
    ).c16 as ThroughputRun;
    // 6. 1 GB uploads.
    log(
      "app: 1 GB uploads (declared and chunked) to the sign-up, token, sign-in, webhook, tenant and public lead routes",
    );
    const uploads = await uploadPhase(app.url, app.pid, oneChat.siteKey);
    await app.stop();
    app = undefined;

    const { targets, ratios, othersMax } = printLeadReport({
      settings,
      tenantCount: allTenants.length,
      baselineResults,
      appResults,
      submitOnly,
      throughput429s,
      sendLatency,
      burstA,
      burstB,
      uploads,
      othersAtStart,
      idleRssMiB: { baseline: baselineIdleMiB, app: appIdleMiB },
    });
    // 7. The 1 M-lead phase (bench/scale.ts), on its own servers and databases.
    const scaleRuns = skipScale ? [] : await runScaleBench(scaleSettings, meter);
    const scaleTargets = scaleRuns.length > 0 ? printScaleReport(scaleRuns, scaleSettings) : [];
    writeRunResults(
      "latest.json",
      { startedAt: runStarted, command, machine, othersAtStart, othersMax },
      {
        settings,
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
        memory: {
          idleRssMiB: { baseline: baselineIdleMiB, app: appIdleMiB },
          appNodeFlags: serveNodeArgs().filter((arg) => arg.startsWith("-")),
        },
        scale: { settings: scaleSettings, runs: scaleRuns },
        summary: [...targets, ...scaleTargets],
        allPassed: [...targets, ...scaleTargets].every((target) => target.pass),
      },
    );
    if (settings.cpuProfile) log(`CPU profiles (app: server-<pid>, baseline: baseline-server-<pid>): ${profileDir}`);
  } finally {
    await baseline?.stop();
    await app?.stop();
    await sandbox?.close();
    if (!keepDb) rmSync(tmp, { recursive: true, force: true });
  }
}

runBounded("bench", main, 25 * 60_000);
