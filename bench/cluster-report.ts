// The tables of `npm run bench:cluster` (bench/cluster.ts), printed from its figures.
import type { DrainReport } from "./cluster-phases";
import type { CpuShare } from "./cpu-meter";
import type { SendLatency, ThroughputRun } from "./phases";
import { fmt, latencyCells, log, logTargets, table, type Target } from "./report";
import type { ClusterSettings } from "./settings";

/** The issue's memory figures (MB = 10^6 bytes), compared with VmRSS in MiB. */
const MEMORY_TARGETS_MB = { webIdle: 200, webLoad: 350, worker: 150 };
const MB_IN_MIB = 1e6 / 2 ** 20;

export type IntakeSetup = { name: string; runs: Record<string, ThroughputRun>; floodRefusals?: number };

/** Whose CPU time a process's is, for the CPU tables. */
type CpuGroup = "server" | "worker" | "PostgreSQL" | "bench";

function cpuGroup(role: string): CpuGroup {
  if (role.startsWith("worker")) return "worker";
  if (role === "PostgreSQL" || role === "bench") return role;
  return "server";
}

/** CPU seconds during a run, by group, from the meter's figures per process. */
function cpuSecondsByGroup(cpu: CpuShare, roles: Record<number, string>): Record<CpuGroup, number> {
  const seconds: Record<CpuGroup, number> = { server: 0, worker: 0, PostgreSQL: 0, bench: 0 };
  for (const [pid, value] of Object.entries(cpu.secondsByPid)) {
    const role = roles[Number(pid)];
    if (role !== undefined) seconds[cpuGroup(role)] += value;
  }
  return seconds;
}

const msPer = (seconds: number, count: number) => fmt((1000 * seconds) / count, 2);

export type ClusterFigures = {
  settings: ClusterSettings;
  /** Each process's role by pid ("web a", "worker 1", "PostgreSQL", "bench"…), for the CPU tables. */
  roles: Record<number, string>;
  postgres: string;
  baseline: IntakeSetup;
  apps: IntakeSetup[];
  latency: { name: string; result: SendLatency }[];
  drains: DrainReport[];
  /** VmRSS (MiB) of each process a few seconds after its start. */
  idleRssMiB: Record<string, number>;
  /** Per phase, the peak VmRSS (MiB) of each process that ran in it. */
  peakRssMiB: Record<string, Record<string, number>>;
  othersAtStart: number;
  cores: number;
  loadAverage: { start: number[]; end: number[] };
};

function intakeTable(figures: ClusterFigures) {
  const { settings, baseline, apps } = figures;
  const rows: (string | number)[][] = [];
  const ratios: Record<string, Record<string, { throughput: number; p99: number }>> = {};
  for (const concurrency of settings.concurrencies) {
    const key = `c${concurrency}`;
    const base = baseline.runs[key] as ThroughputRun;
    for (const setup of [baseline, ...apps]) {
      const run = setup.runs[key] as ThroughputRun;
      const ratio = {
        throughput: run.acceptedPerSecond / base.acceptedPerSecond,
        p99: run.latencyMs.p99 / base.latencyMs.p99,
      };
      if (setup !== baseline) (ratios[setup.name] ??= {})[key] = ratio;
      rows.push([
        setup.name,
        concurrency,
        `${run.accepted}/${settings.requests}`,
        fmt(run.acceptedPerSecond, 0),
        setup === baseline ? "—" : `${fmt(ratio.throughput, 2)}×`,
        fmt(run.latencyMs.p50, 1),
        fmt(run.latencyMs.p99, 1),
        setup === baseline ? "—" : `${fmt(ratio.p99, 2)}×`,
        fmt(run.latencyMs.max, 1),
        run.delivery ? String(run.delivery.sentDuringRun) : "—",
        fmt(run.cpu.othersPct, 0),
      ]);
    }
  }
  log(
    `Intake: POST /api/v1/public/leads/<site_key>, closed loop, keep-alive, ${settings.requests} requests per run after ${settings.warmupRequests} warm-up; PostgreSQL: ${figures.postgres}`,
  );
  log(
    table(
      [
        "setup",
        "conc.",
        "accepted",
        "leads/s",
        "× baseline",
        "p50 ms",
        "p99 ms",
        "p99 × baseline",
        "max ms",
        "notified in run",
        "others' CPU %",
      ],
      rows,
    ),
  );
  log(
    `baseline: bench/baseline-server.ts on a database of its own on the same PostgreSQL server (one tenant, the same Lead + Delivery insert in one transaction, no delivery). ` +
      `Web instances: RUN_DELIVERY=false, one worker (npm run worker) sending meanwhile; leads round robin over ${figures.settings.chats} sites, each with its own bot and private chat; ` +
      `two instances: the client takes them in turn, request by request. Flood 429s during the intake runs: ${apps.map((app) => `${app.name} ${app.floodRefusals ?? "n/a"}`).join(", ")}.`,
  );
  log();
  log(
    "Where the CPU went during each intake run (CPU ms per accepted lead; worker: per notification sent during the run)",
  );
  log(
    table(
      ["setup", "conc.", "server", "worker", "PostgreSQL", "bench (load + sandbox)", "others' CPU %"],
      settings.concurrencies.flatMap((concurrency) =>
        [baseline, ...apps].map((setup) => {
          const run = setup.runs[`c${concurrency}`] as ThroughputRun;
          const seconds = cpuSecondsByGroup(run.cpu, figures.roles);
          return [
            setup.name,
            concurrency,
            msPer(seconds.server, run.accepted),
            run.delivery ? msPer(seconds.worker, run.delivery.sentDuringRun) : "—",
            msPer(seconds.PostgreSQL, run.accepted),
            msPer(seconds.bench, run.accepted),
            fmt(run.cpu.othersPct, 0),
          ];
        }),
      ),
    ),
  );
  log(
    "server = the baseline or the web instances together. On a shared machine CPU per lead moves less than leads/s with what else runs.",
  );
  return ratios;
}

function drainTable(drains: DrainReport[], roles: Record<number, string>) {
  log();
  const first = drains[0];
  if (!first) return;
  log(
    `Delivery: ${first.perChat} leads queued per chat over ${first.chats} chats (${first.chats} sites, each its own bot and private chat) while no worker ran; then the workers start`,
  );
  log(
    table(
      [
        "workers",
        "delivered",
        "duplicates",
        "chats in order",
        "flood 429s",
        "first → last s",
        "ideal s",
        "msgs/s",
        "ceiling msgs/s",
        "pace min",
        "pace median",
        "start → ready s",
        "worker CPU ms/msg",
        "PostgreSQL CPU ms/msg",
        "others' CPU %",
      ],
      drains.map((drain) => {
        const seconds = cpuSecondsByGroup(drain.cpu, roles);
        return [
          drain.workers,
          `${drain.delivered}/${drain.accepted}`,
          drain.duplicates,
          `${drain.chatsInOrder}/${drain.chats}`,
          drain.floodRefusals,
          fmt(drain.firstToLastMs / 1000, 2),
          fmt(drain.idealMs / 1000, 0),
          fmt(drain.messagesPerSecond, 0),
          fmt(drain.ceilingPerSecond, 0),
          fmt(drain.paceMin, 3),
          fmt(drain.paceMedian, 3),
          fmt(drain.workerStartMs / 1000, 1),
          msPer(seconds.worker, drain.delivered),
          msPer(seconds.PostgreSQL, drain.delivered),
          fmt(drain.cpu.othersPct, 0),
        ];
      }),
    ),
  );
  log(
    "ceiling = what Telegram allows this shape: 1 msg/s per private chat, 30 msg/s per bot, so one bot per chat gives 1 msg/s per chat. " +
      "msgs/s = delivered / (last − first sendMessage); ideal = (leads per chat − 1) s, the shortest drain the limits allow (a chat's first message needs no wait, so a perfect drain shows slightly above the ceiling). " +
      "pace = a chat's (messages − 1) / span over the 1 msg/s allowed. flood 429s = refusals by the sandbox's flood limits (none are injected). start → ready: the worker processes' start-up, not in first → last; CPU counted from the workers being ready, over every message delivered.",
  );
}

function latencyTable(latency: ClusterFigures["latency"]) {
  log();
  const first = latency[0]?.result;
  if (!first) return;
  log(
    `201 → sendMessage: ${first.leads} leads at ${first.ratePerSecond}/s round robin over ${first.tenants} sites, flood limits ${first.floodLimits}; the sandbox records sent_at on the bench's clock`,
  );
  log(
    table(
      ["setup", "delivered", "submit p50 ms", "submit p99 ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "others' CPU %"],
      latency.map(({ name, result }) => [
        name,
        `${result.delivered}/${result.leads}`,
        ...latencyCells(result.submitMs, "p50", "p99"),
        ...latencyCells(result.ms, "p50", "p90", "p99", "max"),
        fmt(result.cpu.othersPct, 0),
      ]),
    ),
  );
  log("p50…max: from the client receiving 201 to the sandbox recording the sendMessage.");
}

function memoryTable(figures: ClusterFigures) {
  log();
  const phases = Object.keys(figures.peakRssMiB);
  const processes = [
    ...new Set([
      ...Object.keys(figures.idleRssMiB),
      ...phases.flatMap((phase) => Object.keys(figures.peakRssMiB[phase] ?? {})),
    ]),
  ];
  log(
    "Memory (VmRSS, MiB): each process idle (5 s after it was ready) and its peak during each phase (— = not running)",
  );
  log(
    table(
      ["process", "idle", ...phases.map((phase) => `peak: ${phase}`)],
      processes.map((name) => [
        name,
        fmt(figures.idleRssMiB[name] ?? NaN, 0),
        ...phases.map((phase) => {
          const peak = figures.peakRssMiB[phase]?.[name];
          return peak === undefined ? "—" : fmt(peak, 0);
        }),
      ]),
    ),
  );
  log(
    "Workers are idle-measured with the sites' pollers running; the delivery drains start new worker processes under the same names. reference = one `npm start` server (HTTP and delivery in one process).",
  );
}

export const workersName = (count: number) => `${count} worker${count === 1 ? "" : "s"}`;

/** What the issue asks of the cluster, checked on this run's figures. */
function checks(figures: ClusterFigures): Target[] {
  const targets: Target[] = [];
  for (const drain of figures.drains) {
    targets.push({
      name: `drain, ${workersName(drain.workers)}: each lead once, in order`,
      value: `${drain.delivered}/${drain.accepted}, ${drain.duplicates} duplicates, ${drain.chatsInOrder}/${drain.chats} chats in order`,
      target: "all, once, in order",
      pass: drain.complete && drain.duplicates === 0 && drain.chatsInOrder === drain.chats,
    });
    targets.push({
      name: `drain, ${workersName(drain.workers)}: flood 429s`,
      value: String(drain.floodRefusals),
      target: "0",
      pass: drain.floodRefusals === 0,
    });
  }
  const peakOf = (name: string) =>
    Math.max(...Object.values(figures.peakRssMiB).map((peaks) => peaks[name] ?? -Infinity));
  const mib = (mb: number) => mb * MB_IN_MIB;
  for (const name of Object.keys(figures.idleRssMiB)) {
    if (name.startsWith("web")) {
      targets.push({
        name: `${name}: RSS idle`,
        value: `${fmt(figures.idleRssMiB[name] ?? NaN, 0)} MiB`,
        target: `< ${MEMORY_TARGETS_MB.webIdle} MB (${fmt(mib(MEMORY_TARGETS_MB.webIdle), 0)} MiB)`,
        pass: (figures.idleRssMiB[name] ?? Infinity) < mib(MEMORY_TARGETS_MB.webIdle),
      });
      targets.push({
        name: `${name}: RSS peak under load`,
        value: `${fmt(peakOf(name), 0)} MiB`,
        target: `< ${MEMORY_TARGETS_MB.webLoad} MB (${fmt(mib(MEMORY_TARGETS_MB.webLoad), 0)} MiB)`,
        pass: peakOf(name) < mib(MEMORY_TARGETS_MB.webLoad),
      });
    } else if (name.startsWith("worker")) {
      targets.push({
        name: `${name}: RSS idle / peak`,
        value: `${fmt(figures.idleRssMiB[name] ?? NaN, 0)} / ${fmt(peakOf(name), 0)} MiB`,
        target: `< ${MEMORY_TARGETS_MB.worker} MB (${fmt(mib(MEMORY_TARGETS_MB.worker), 0)} MiB)`,
        pass: peakOf(name) < mib(MEMORY_TARGETS_MB.worker),
      });
    }
  }
  return targets;
}

/** Prints every table; returns what cluster.json keeps of them. */
export function printClusterReport(figures: ClusterFigures) {
  log();
  const ratios = intakeTable(figures);
  drainTable(figures.drains, figures.roles);
  latencyTable(figures.latency);
  memoryTable(figures);
  const targets = checks(figures);
  const othersMax = logTargets(
    "Checks (the issue's requirements on this run)",
    "check",
    targets,
    [
      figures.othersAtStart,
      ...[figures.baseline, ...figures.apps].flatMap((setup) =>
        Object.values(setup.runs).map((run) => run.cpu.othersPct),
      ),
      ...figures.drains.map((drain) => drain.cpu.othersPct),
      ...figures.latency.map(({ result }) => result.cpu.othersPct),
    ],
    figures.settings.busyThresholdPct,
  );
  log(
    `load average: ${figures.loadAverage.start.join(" ")} at the start, ${figures.loadAverage.end.join(" ")} at the end, on ${figures.cores} cores`,
  );
  return { ratios, targets, othersMax };
}
