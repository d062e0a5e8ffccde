import path from "node:path";
import { workerEnv, workerNodeArgs } from "../../scripts/serve-command.mjs";
import { spawnWithTestSecrets } from "./app-server";

const root = path.resolve(import.meta.dirname, "../..");

export type WorkerProcess = {
  pid: number;
  logs: () => string;
  /** Resolves with the exit code once the process has ended (null after a signal it did not handle). */
  exited: Promise<number | null>;
  /** SIGTERM (a deploy) or SIGKILL (a crash), then waits for the exit; returns the exit code. */
  stop: (signal?: "SIGTERM" | "SIGKILL") => Promise<number | null>;
};

/** Where a worker runs from, and Node flags added after npm run worker's (bench/worker-drain.ts compares builds). */
export type WorkerOptions = { cwd?: string; nodeFlags?: string[] };

/** `npm run worker`'s Node arguments, run from the checkout `cwd` (default: this one). */
function workerArgs({ cwd, nodeFlags = [] }: WorkerOptions): string[] {
  const args = workerNodeArgs();
  const script = args.at(-1) ?? "";
  const moved = cwd ? path.join(cwd, path.relative(root, script)) : script;
  return [...args.slice(0, -1), ...nodeFlags, moved];
}

/** Spawns `npm run worker`'s command (without npm in between, so signals reach the worker) with the test secrets. */
export function spawnWorker(env: Record<string, string>, logFile?: string, options: WorkerOptions = {}): WorkerProcess {
  const { child, logs } = spawnWithTestSecrets(workerArgs(options), { ...workerEnv(), ...env }, logFile, options.cwd);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    pid: child.pid ?? 0,
    logs,
    exited,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Starts a worker and resolves once it says it is ready (its dispatcher and pollers run). */
export async function startWorker(
  env: Record<string, string>,
  logFile?: string,
  options: WorkerOptions = {},
): Promise<WorkerProcess> {
  const worker = spawnWorker(env, logFile, options);
  const deadline = Date.now() + 60_000;
  let exitCode: number | null | undefined;
  void worker.exited.then((code) => (exitCode = code));
  while (!worker.logs().includes("Leadgram worker ready")) {
    if (exitCode !== undefined)
      throw new Error(`The worker exited with code ${exitCode} during start-up:\n${worker.logs()}`);
    if (Date.now() > deadline) {
      await worker.stop("SIGKILL");
      throw new Error(`The worker did not become ready:\n${worker.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return worker;
}
