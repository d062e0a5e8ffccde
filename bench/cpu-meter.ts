// Who used the machine's CPU during a phase: the benchmark's own processes (this one with
// the load generator and the sandbox, the server under test) versus everything else. The
// development machines are shared, and another engineer's build or browser tests on two
// cores would otherwise pass silently for a slow app. Linux /proc only; elsewhere the
// figures are NaN.
import { readdirSync, readFileSync } from "node:fs";

type Ticks = { machineBusy: number; machineTotal: number; ours: number };

function machineTicks(): { busy: number; total: number } {
  const first = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = first.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** utime + stime of a process (all its threads), in clock ticks; 0 once it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
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
};

export class CpuMeter {
  private pids: number[] = [process.pid];

  /** Counts `pid` (the server under test) as ours from now on. */
  track(pid: number | undefined): void {
    if (pid !== undefined) this.pids.push(pid);
  }

  untrackServers(): void {
    this.pids = [process.pid];
  }

  sample(): Ticks {
    try {
      const machine = machineTicks();
      return {
        machineBusy: machine.busy,
        machineTotal: machine.total,
        ours: this.pids.reduce((sum, pid) => sum + processTicks(pid), 0),
      };
    } catch {
      return { machineBusy: NaN, machineTotal: NaN, ours: NaN };
    }
  }

  since(start: Ticks): CpuShare {
    const end = this.sample();
    const total = end.machineTotal - start.machineTotal;
    const busy = end.machineBusy - start.machineBusy;
    const ours = end.ours - start.ours;
    const pct = (ticks: number) => (total > 0 ? Math.max(0, (100 * ticks) / total) : NaN);
    return { machineBusyPct: pct(busy), benchPct: pct(ours), othersPct: pct(busy - ours) };
  }
}
