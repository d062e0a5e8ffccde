// The lead bench's tables and its Targets, printed from the phases' figures.
import { serveNodeArgs } from "../scripts/serve-command.mjs";
import type { BurstReport, SendLatency, ThroughputRun } from "./phases";
import type { Summary } from "./load";
import { fmt, latencyCells, log, logTargets, table, type Target } from "./report";
import type { BenchSettings } from "./settings";
import type { UploadReport } from "./uploads";

export const TARGETS = {
  throughputRatio: 0.6,
  p99Ratio: 2,
  sendP50Ms: 50,
  sendP99Ms: 250,
  pace: 0.95,
  uploadRefusedMs: 1000,
  uploadRssGrowthMiB: 50,
};

export type LeadBenchFigures = {
  settings: BenchSettings;
  /** Tenants the app's throughput runs spread their leads over. */
  tenantCount: number;
  baselineResults: Record<string, ThroughputRun>;
  appResults: Record<string, ThroughputRun>;
  submitOnly: ThroughputRun;
  throughput429s: number;
  sendLatency: SendLatency;
  burstA: BurstReport;
  burstB: BurstReport;
  uploads: UploadReport;
  othersAtStart: number;
  /** Each server's VmRSS a few seconds after its start, before any load. */
  idleRssMiB: { baseline: number; app: number };
};

/** Prints the tables and the Targets; returns what latest.json keeps of them. */
export function printLeadReport(figures: LeadBenchFigures) {
  const {
    settings,
    tenantCount,
    baselineResults,
    appResults,
    submitOnly,
    throughput429s,
    sendLatency,
    burstA,
    burstB,
    uploads,
    othersAtStart,
    idleRssMiB,
  } = figures;
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
  for (const concurrency of settings.concurrencies) {
    const key = `c${concurrency}`;
    const base = baselineResults[key] as ThroughputRun;
    const ours = appResults[key] as ThroughputRun;
    throughputRows.push(
      row("baseline", base, settings.requests),
      row(`app, ${tenantCount} tenants`, ours, settings.requests),
    );
    const ratio = {
      throughput: ours.acceptedPerSecond / base.acceptedPerSecond,
      p99: ours.latencyMs.p99 / base.latencyMs.p99,
    };
    ratios[key] = ratio;
    targets.push({
      name: `c=${concurrency}: throughput app/baseline`,
      value: `${fmt(ratio.throughput, 2)}×`,
      target: `≥ ${TARGETS.throughputRatio}×`,
      pass: ratio.throughput >= TARGETS.throughputRatio,
    });
    targets.push({
      name: `c=${concurrency}: p99 app/baseline`,
      value: `${fmt(ratio.p99, 2)}×`,
      target: `≤ ${TARGETS.p99Ratio}×`,
      pass: ratio.p99 <= TARGETS.p99Ratio,
    });
  }
  throughputRows.push(row("app, 1 tenant (diagnostic)", submitOnly, settings.diagnosticRequests));
  const sendComplete = sendLatency.delivered === sendLatency.leads;
  targets.push({
    name: "201 → sendMessage p50",
    value: `${fmt(sendLatency.ms.p50)} ms`,
    target: `< ${TARGETS.sendP50Ms} ms`,
    pass: sendComplete && sendLatency.ms.p50 < TARGETS.sendP50Ms,
  });
  targets.push({
    name: "201 → sendMessage p99",
    value: `${fmt(sendLatency.ms.p99)} ms`,
    target: `< ${TARGETS.sendP99Ms} ms`,
    pass: sendComplete && sendLatency.ms.p99 < TARGETS.sendP99Ms,
  });
  for (const [name, burst] of [
    [`burst (a) ${burstA.chats} chats`, burstA],
    ["burst (b) one chat", burstB],
  ] as const) {
    targets.push({
      name: `${name}: delivered, in order`,
      value: `${burst.delivered}/${burst.leads}, ${burst.allInOrder ? "in order" : "OUT OF ORDER"}`,
      target: "all, in order",
      pass: burst.delivered === burst.leads && burst.allInOrder,
    });
    targets.push({
      name: `${name}: 429s`,
      value: String(burst.tooManyRequests),
      target: "0",
      pass: burst.tooManyRequests === 0,
    });
    targets.push({
      name: `${name}: pace (min over chats)`,
      value: fmt(burst.paceMin, 3),
      target: `≥ ${TARGETS.pace}`,
      pass: burst.paceMin >= TARGETS.pace,
    });
  }

  log();
  log(
    `Throughput and latency of POST /api/v1/public/leads/<site_key> (closed loop, keep-alive, ${settings.requests} requests after ${settings.warmupRequests} warm-up)`,
  );
  log(
    table(
      [
        "server",
        "conc.",
        "accepted",
        "leads/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "wall s",
        "notified in run",
        "others' CPU %",
      ],
      throughputRows,
    ),
  );
  log(
    `app: leads round robin over ${tenantCount} tenants, each with its own bot and private chat, so every lead is also delivered while the run goes on ` +
      `(the app paces itself at 1 msg/s per chat, so fewer chats would queue the notifications instead); sandbox flood limits ON (defaults), 429s: ${throughput429s}.`,
  );
  log(
    "baseline: bench/baseline-server.ts, one tenant, no delivery. app, 1 tenant: the same submissions into one tenant, whose notifications wait for the 1 msg/s pacing — the submission path without delivery work.",
  );
  log(
    "others' CPU % = share of the machine used by processes other than the bench, its sandbox and the server under test during that run.",
  );
  log();
  const memoryRow = (name: string, idle: number, runs: Record<string, ThroughputRun>) => [
    name,
    fmt(idle, 0),
    ...settings.concurrencies.map((concurrency) => fmt(runs[`c${concurrency}`]?.rssPeakMiB ?? NaN, 0)),
  ];
  log("Memory of the server under test (VmRSS, MiB): idle after its start, and the peak during each run above");
  log(
    table(
      ["server", "idle", ...settings.concurrencies.map((concurrency) => `peak at c=${concurrency}`)],
      [memoryRow("baseline", idleRssMiB.baseline, baselineResults), memoryRow("app", idleRssMiB.app, appResults)],
    ),
  );
  const serveFlags = serveNodeArgs().filter((arg) => arg.startsWith("-"));
  log(
    `app: the whole server (HTTP and the delivery thread), started as npm run serve starts it (Node flags: ${serveFlags.join(" ") || "none"}); baseline: bare node:http with Prisma, started through tsx with V8's default heap sizing.`,
  );
  log();
  log(
    `201 → sendMessage (${sendLatency.leads} leads at ${sendLatency.ratePerSecond}/s, ${sendLatency.tenants} tenants round robin, flood limits ${sendLatency.floodLimits})`,
  );
  const latencyRow = (name: string, summary: Summary) => [
    name,
    summary.count,
    ...latencyCells(summary, "min", "p50", "p90", "p99", "max"),
  ];
  log(
    table(
      ["measure", "n", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms"],
      [
        latencyRow("submission (request → 201)", sendLatency.submitMs),
        latencyRow("201 received → sendMessage recorded", sendLatency.ms),
      ],
    ),
  );
  log();
  log(
    "Bursts with Telegram's flood limits on (sandbox defaults: private chat 1 msg/s with a burst of 3, 30 msg/s per bot)",
  );
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
      [
        "burst",
        "delivered",
        "in order",
        "429s",
        "pace min",
        "pace median",
        "submit s",
        "wall s",
        "ideal s",
        "others' CPU %",
      ],
      [
        burstRow(`(a) ${settings.burstPerTenant} leads × ${burstA.chats} chats`, burstA),
        burstRow(`(b) ${burstB.leads} leads × 1 chat`, burstB),
      ],
    ),
  );
  log(
    "pace = (messages in the chat − 1) / (last sent_at − first sent_at), in msg/s over the allowed 1 msg/s; wall = first submission → last message; ideal = (leads per chat − 1) s",
  );
  log();
  log("1 GB uploads: each refused with 413 before the body is read (the client stops sending at the answer)");
  log(
    table(
      ["route", "body", "status", "ms to answer", "MiB sent"],
      uploads.runs.map((run) => [run.route, run.mode, String(run.status), fmt(run.msToAnswer, 1), fmt(run.sentMiB, 0)]),
    ),
  );
  log(`server RSS growth over all of them: ${fmt(uploads.rssGrowthMiB, 1)} MiB`);
  targets.push({
    name: "1 GB upload: refused (413) within",
    value: `${fmt(uploads.maxMsToAnswer, 0)} ms${uploads.allRefused ? "" : ", NOT ALL 413"}`,
    target: `< ${TARGETS.uploadRefusedMs} ms`,
    pass: uploads.allRefused && uploads.maxMsToAnswer < TARGETS.uploadRefusedMs,
  });
  targets.push({
    name: "1 GB uploads: server RSS growth",
    value: `${fmt(uploads.rssGrowthMiB, 1)} MiB`,
    target: `< ${TARGETS.uploadRssGrowthMiB} MiB`,
    pass: uploads.rssGrowthMiB < TARGETS.uploadRssGrowthMiB,
  });
  const othersMax = logTargets(
    "Targets",
    "target",
    targets,
    [
      othersAtStart,
      sendLatency.cpu.othersPct,
      burstA.cpu.othersPct,
      burstB.cpu.othersPct,
      ...Object.values(baselineResults).map((r) => r.cpu.othersPct),
      ...Object.values(appResults).map((r) => r.cpu.othersPct),
    ],
    settings.busyThresholdPct,
  );
  return { targets, ratios, othersMax };
}
