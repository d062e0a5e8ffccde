// Who used the machine's CPU during a phase: the benchmark's own processes (this one with
// the load generator and the sandbox, the server under test) versus everything else. The
// development machines are shared, and another engineer's build or browser tests on two
// cores would otherwise pass silently for a slow app. Linux /proc only; elsewhere the
// figures are NaN.
import { readdirSync, readFileSync } from "node:fs";

/** Linux counts process CPU time in USER_HZ ticks, 100 a second on every architecture it runs on. */
const TICKS_PER_SECOND = 100;

type Ticks = { machineBusy: number; machineTotal: number; ours: number; byPid: Map<number, number> };

function machineTicks(): { busy: number; total: number } {
  const first = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = first.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** The fields of /proc/<pid>/stat after "(comm)": [0] is field 3 (state), [1] the parent's pid. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** utime + stime of a process (all its threads), in clock ticks; 0 once it is gone. */
function processTicks(pid: number): number {
  const fields = statFields(pid);
  // utime is field 14, stime 15.
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

/** The CPU time a process (all its threads) has used, in milliseconds; 0 once it is gone. */
export const processCpuMs = (pid: number): number => (processTicks(pid) * 1000) / TICKS_PER_SECOND;

/** utime + stime + cutime + cstime: a process's own CPU and that of its children it has reaped. */
const withReapedChildren = (fields: string[]) =>
  Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);

/**
 * The CPU of a process and its children, in clock ticks: its own, its children's that have
 * ended and been reaped (cutime + cstime), and its live children's. So a server that forks a
 * process per connection, as PostgreSQL does, counts whole, and a connection ending during a
 * phase does not take its CPU time out of the phase.
 */
function treeTicks(pid: number): number {
  const own = statFields(pid);
  if (!own) return 0;
  let ticks = withReapedChildren(own);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statFields(entry);
    if (child?.[1] === String(pid)) ticks += withReapedChildren(child);
  }
  return ticks;
}

/** The pid of a process whose command line has each of `args` as one argument (e.g. "-p", "5432"). */
export function findPidByArguments(args: string[]): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.every((arg) => argv.includes(arg))) return Number(entry);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return undefined;
}

/** The pid of a process whose command line contains `script` and whose environment has `name=value`. */
export function findPid(script: string, name: string, value: string): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(script)) continue;
        if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`${name}=${value}`))
          return Number(entry);
      } catch {
        // exited meanwhile, or not ours to read
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

export type CpuShare = {
  /** Percent of the whole machine (all cores) busy during the interval. */
  machineBusyPct: number;
  /** Of which this process and the server under test. */
  benchPct: number;
  /** Of which everything else: other users of the machine. */
  othersPct: number;
  /** CPU seconds of each process tracked (a tree counted whole under its root's pid). */
  secondsByPid: Record<number, number>;
};

export class CpuMeter {
  private pids: number[] = [process.pid];
  private trees: number[] = [];

  /** Counts `pid` (the server under test) as ours from now on. */
  track(pid: number | undefined): void {
    if (pid !== undefined) this.pids.push(pid);
  }

  /** Counts `pid` and its children (a database server) as ours from now on, until the end. */
  trackTree(pid: number | undefined): void {
    if (pid !== undefined) this.trees.push(pid);
  }

  /** Stops counting `pid` (a server about to stop: its CPU time would vanish with it). */
  untrack(pid: number): void {
    this.pids = this.pids.filter((tracked) => tracked !== pid);
  }

  untrackServers(): void {
    this.pids = [process.pid];
  }

  sample(): Ticks {
    try {
      const machine = machineTicks();
      const byPid = new Map<number, number>([
        ...this.pids.map((pid) => [pid, processTicks(pid)] as const),
        ...this.trees.map((pid) => [pid, treeTicks(pid)] as const),
      ]);
      return {
        machineBusy: machine.busy,
        machineTotal: machine.total,
        ours: [...byPid.values()].reduce((sum, ticks) => sum + ticks, 0),
        byPid,
      };
    } catch {
      return { machineBusy: NaN, machineTotal: NaN, ours: NaN, byPid: new Map() };
    }
  }

  since(start: Ticks): CpuShare {
    const end = this.sample();
    const total = end.machineTotal - start.machineTotal;
    const busy = end.machineBusy - start.machineBusy;
    const ours = end.ours - start.ours;
    const pct = (ticks: number) => (total > 0 ? Math.max(0, (100 * ticks) / total) : NaN);
    // A process tracked during the interval (started in it) counts from its start.
    const secondsByPid = Object.fromEntries(
      [...end.byPid].map(([pid, ticks]) => [pid, (ticks - (start.byPid.get(pid) ?? 0)) / TICKS_PER_SECOND]),
    );
    return { machineBusyPct: pct(busy), benchPct: pct(ours), othersPct: pct(busy - ours), secondsByPid };
  }
}
