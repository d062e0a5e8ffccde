// Resident memory (VmRSS from /proc/<pid>/status) of the processes a benchmark runs: idle
// after their start, and the peak while a phase runs. Linux /proc only; elsewhere NaN.
import { rssBytes } from "../tests/support/process-memory";
import { sleep } from "./load";

const MiB = 2 ** 20;
/** How often a watch samples by default: short enough to catch a burst's peak, cheap enough not to matter. */
const SAMPLE_EVERY_MS = 100;

/** A process's VmRSS in MiB; NaN without a pid or once it has exited. */
function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    return rssBytes(pid) / MiB;
  } catch {
    return NaN;
  }
}

/** A process's resident memory once it has settled after its start (MiB). */
export async function idleRssMiB(pid: number | undefined): Promise<number> {
  await sleep(5000);
  return rssMiB(pid);
}

type RssWatch = {
  /** Watches one more process from now on, under `name`. */
  add: (name: string, pid: number | undefined) => void;
  /** Stops sampling; returns each process's highest VmRSS seen (MiB). */
  stop: () => Record<string, number>;
};

/** Samples the VmRSS of every process added every `everyMs`, keeping each one's peak, until `stop`. */
export function watchRss(processes: Record<string, number | undefined> = {}, everyMs = SAMPLE_EVERY_MS): RssWatch {
  const pids = new Map<string, number | undefined>();
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of pids) {
      const now = rssMiB(pid);
      // An exited process keeps the peak it had; one never seen stays NaN.
      if (Number.isNaN(now)) peaks[name] ??= NaN;
      else if (!((peaks[name] ?? NaN) >= now)) peaks[name] = now;
    }
  };
  const add = (name: string, pid: number | undefined) => {
    pids.set(name, pid);
    sample();
  };
  for (const [name, pid] of Object.entries(processes)) add(name, pid);
  const timer = setInterval(sample, everyMs);
  return {
    add,
    stop: () => {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}
