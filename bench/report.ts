// Output shared by the benchmark scripts: plain lines and Markdown-style tables on stdout.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Summary } from "./load";

export const log = (line = "") => process.stdout.write(`${line}\n`);
export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? "").length)));
  const line = (row: string[]) => `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n");
}

/** A latency summary's figures in milliseconds as table cells, in the order given. */
export const latencyCells = (summary: Summary, ...keys: (keyof Summary)[]) => keys.map((key) => fmt(summary[key], 1));

/** One line of a Targets table; `baseline` is the figure before the fix, where the issue gives one. */
export type Target = { name: string; value: string; target: string; pass: boolean; baseline?: string };

/** The machine a run measures on, as its results record it. */
export function describeMachine() {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/** A run's first lines: which benchmark, when, on what machine, by which command. */
export function logRunHeader(title: string, startedAt: number, command: string, machine = describeMachine()): void {
  log(`${title} — ${new Date(startedAt).toISOString()}`);
  log(
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, load average ${machine.loadAverageAtStart.join(" ")}`,
  );
  log(`command: ${command}`);
}

/**
 * The targets' table under `heading`, then a warning when other processes were busier than
 * `busyThresholdPct` at some point of the run (`othersPct`: every figure measured).
 * Returns the highest of them.
 */
export function logTargets(
  heading: string,
  firstColumn: string,
  targets: Target[],
  othersPct: number[],
  busyThresholdPct: number,
): number {
  log();
  log(heading);
  log(
    table(
      [firstColumn, "value", "wanted", "result"],
      targets.map((target) => [target.name, target.value, target.target, target.pass ? "PASS" : "FAIL"]),
    ),
  );
  const othersMax = Math.max(...othersPct);
  if (othersMax > busyThresholdPct) {
    log(
      `WARNING: other processes used up to ${fmt(othersMax, 0)}% of the machine's CPU during this run; throughput and latency figures are understated. Re-run on a quiet machine.`,
    );
  }
  return othersMax;
}

/** What every run's results file records first: when, by which command, on what machine. */
export type RunRecord = {
  startedAt: number;
  command: string;
  machine: ReturnType<typeof describeMachine> & Record<string, unknown>;
  othersAtStart: number;
  othersMax: number;
};

/** Ends a run: its length, and bench/results/`fileName` with the run's record and `figures`. */
export function writeRunResults(fileName: string, run: RunRecord, figures: Record<string, unknown>): void {
  const totalSeconds = (Date.now() - run.startedAt) / 1000;
  log();
  log(`total run time ${fmt(totalSeconds)} s; JSON: bench/results/${fileName}`);
  const resultsDir = path.join(import.meta.dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  const results = {
    startedAt: new Date(run.startedAt).toISOString(),
    command: run.command,
    machine: { ...run.machine, othersCpuPctAtStart: run.othersAtStart, othersCpuPctMax: run.othersMax },
    ...figures,
    totalSeconds,
  };
  writeFileSync(path.join(resultsDir, fileName), `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * Runs a benchmark's `main` and exits: 0 when it ends, 1 on an error, 3 once `limitMs` has
 * passed (after `stop`, which ends what the run started): every bench is bounded in time.
 */
export function runBounded(
  name: string,
  main: () => Promise<void>,
  limitMs: number,
  stop: () => Promise<void> = async () => {},
): void {
  const watchdog = setTimeout(() => {
    console.error(`${name}: still running after ${limitMs / 60_000} minutes; giving up`);
    void stop().finally(() => process.exit(3));
  }, limitMs);
  watchdog.unref();
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
