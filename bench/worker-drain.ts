// `npx tsx --conditions=react-server bench/worker-drain.ts`: a delivery worker's memory and CPU
// in `npm run bench:cluster`'s hardest moment for it, compared between two builds or two sets
// of Node flags, A and B. One throwaway PostgreSQL, one web instance (RUN_DELIVERY=false),
// and `--chats` sites, each with its own sandbox bot and private chat. Each round queues
// `--per-chat` leads per chat with no worker running, then starts one worker, A or B in
// turn, which drains them while it long-polls every site's bot. A worker's peak moves by
// ±10 MiB from run to run with the same code, so rounds alternate and medians are compared.
//
//   --a=, --b=              Node flags added to npm run worker's, space-separated (default none)
//   --a-env=, --b-env=      environment added to npm run worker's, as space-separated NAME=value
//                           (e.g. another malloc: LD_PRELOAD=...)
//   --a-dir=, --b-dir=      the checkout each runs from, built (default: this one): compares
//                           two versions of the code, e.g. a git worktree of the commit before
//   --rounds N              drains by each of A and B (default 4)
//   --chats N, --per-chat N (default 300 and 20)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SandboxClient } from "../sandbox/client";
import { leadingEnvironment } from "../scripts/serve-command.mjs";
import { startSandbox } from "../sandbox/start-sandbox";
import { startTemporaryPostgres, type TemporaryPostgres } from "../tests/support/postgres-server";
import { rssBytes } from "../tests/support/process-memory";
import { startWorker, type WorkerProcess } from "../tests/support/worker-process";
import { startApp, UNTHROTTLED } from "./app";
import { drainPhase, warmUpSites } from "./cluster-phases";
import { CpuMeter } from "./cpu-meter";
import { median } from "./load";
import { fmt, log, runBounded, table } from "./report";
import { mapLimited, registerTenant } from "./tenants";

const { values } = parseArgs({
  options: {
    a: { type: "string", default: "" },
    b: { type: "string", default: "" },
    "a-env": { type: "string", default: "" },
    "b-env": { type: "string", default: "" },
    "a-dir": { type: "string" },
    "b-dir": { type: "string" },
    rounds: { type: "string", default: "4" },
    chats: { type: "string", default: "300" },
    "per-chat": { type: "string", default: "20" },
  },
  strict: true,
});

const MiB = 2 ** 20;
const SIDES = ["A", "B"] as const;
type SideName = (typeof SIDES)[number];
type Drain = {
  round: number;
  side: SideName;
  delivered: string;
  peakMiB: number;
  afterMiB: number;
  seconds: number;
  perSecond: number;
  cpuMsPerMessage: number;
};

const cells = (drain: Drain) => [
  String(drain.round),
  drain.side,
  drain.delivered,
  fmt(drain.seconds, 1),
  fmt(drain.perSecond, 0),
  fmt(drain.peakMiB, 1),
  fmt(drain.afterMiB, 1),
  fmt(drain.cpuMsPerMessage, 2),
];

const words = (value = "") => value.split(" ").filter(Boolean);

/** Where a side's worker runs from, its Node flags and its environment, from the command line. */
function sideOptions(key: "a" | "b") {
  const envWords = words(values[`${key}-env`]);
  const { env, rest } = leadingEnvironment(envWords);
  if (rest.length > 0) throw new Error(`--${key}-env wants NAME=value words, not ${rest.join(" ")}`);
  const nodeFlags = words(values[key]);
  return {
    worker: { cwd: values[`${key}-dir`], nodeFlags },
    env,
    description: `${[...envWords, ...nodeFlags].join(" ") || "npm run worker"} in ${values[`${key}-dir`] ?? "."}`,
  };
}
const sides = { A: sideOptions("a"), B: sideOptions("b") };

async function main(): Promise<void> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "leadgram-worker-drain-"));
  const sandbox = await startSandbox();
  const sb = new SandboxClient(sandbox.url);
  let postgres: TemporaryPostgres | undefined;
  const workers: WorkerProcess[] = [];
  let web: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    postgres = await startTemporaryPostgres();
    const env = {
      DATABASE_URL: postgres.url,
      TELEGRAM_API_URL: sandbox.url,
      ...UNTHROTTLED,
    };
    web = await startApp({ ...env, RUN_DELIVERY: "false" }, path.join(logDir, "web.log"));
    const runId = Math.random().toString(36).slice(2, 8);
    const tenants = await mapLimited(
      Array.from({ length: Number(values.chats) }, (_, i) => i),
      4,
      (i) => registerTenant(web?.url ?? "", sb, i, runId),
    );
    for (const side of SIDES) log(`${side}: ${sides[side].description}`);
    log(`${tenants.length} sites, ${values["per-chat"]} leads per chat per drain; process logs in ${logDir}`);

    // Every site's first lead: the web instance's paths warmed, the chats' pacing windows lapsed.
    const warm = await startWorker({ ...env, ...sides.A.env }, path.join(logDir, "warm-up.log"), sides.A.worker);
    workers.push(warm);
    await warmUpSites(sb, web.url, tenants);
    await warm.stop("SIGKILL");

    const meter = new CpuMeter();
    const drains: Drain[] = [];
    for (let round = 1; round <= Number(values.rounds); round += 1) {
      for (const side of SIDES) {
        let worker: WorkerProcess | undefined;
        const report = await drainPhase({
          sb,
          webUrls: [web.url],
          tenants,
          perChat: Number(values["per-chat"]),
          tag: `${side}${round}`,
          meter,
          startWorkers: async () => {
            worker = await startWorker(
              { ...env, ...sides[side].env },
              path.join(logDir, `${side}-${round}.log`),
              sides[side].worker,
            );
            workers.push(worker);
            meter.track(worker.pid);
            return { worker };
          },
          deadlineMs: 180_000,
        });
        if (!worker) throw new Error("the drain started no worker");
        const drain: Drain = {
          round,
          side,
          delivered: `${report.delivered}/${report.accepted}`,
          peakMiB: report.rssPeakMiB.worker ?? NaN,
          afterMiB: rssBytes(worker.pid) / MiB,
          seconds: report.firstToLastMs / 1000,
          perSecond: report.messagesPerSecond,
          cpuMsPerMessage: ((report.cpu.secondsByPid[worker.pid] ?? NaN) * 1000) / report.delivered,
        };
        await worker.stop();
        meter.untrack(worker.pid);
        if (!report.complete) log(`${side} round ${round}: only ${report.delivered}/${report.accepted} delivered`);
        drains.push(drain);
        log(cells(drain).join("  "));
      }
    }
    log();
    log(
      table(
        ["round", "worker", "delivered", "first → last s", "msgs/s", "peak MiB", "after MiB", "CPU ms/msg"],
        drains.map(cells),
      ),
    );
    for (const side of SIDES) {
      const of = (pick: (drain: Drain) => number) => drains.filter((drain) => drain.side === side).map(pick);
      log(
        `${side}: peak MiB median ${fmt(median(of((d) => d.peakMiB)), 1)} (${fmt(Math.min(...of((d) => d.peakMiB)), 1)}-${fmt(Math.max(...of((d) => d.peakMiB)), 1)}), ` +
          `after ${fmt(median(of((d) => d.afterMiB)), 1)}, msgs/s ${fmt(median(of((d) => d.perSecond)), 0)}, CPU ms/msg ${fmt(median(of((d) => d.cpuMsPerMessage)), 2)}`,
      );
    }
  } finally {
    for (const worker of workers) await worker.stop("SIGKILL");
    await web?.stop();
    await sandbox.close();
    await postgres?.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

runBounded("worker-drain", main, 60 * 60_000);
