// The processes `npm run bench:cluster` starts, by name ("web a", "worker 1"…): each one's
// CPU counted by the meter while it runs, its role kept for the CPU tables, and all of them
// stopped at the end whatever happens.
import type { AppServer } from "../tests/support/app-server";
import { startWorker, type WorkerProcess } from "../tests/support/worker-process";
import { startApp } from "./app";
import type { CpuMeter } from "./cpu-meter";
import { idleRssMiB } from "./memory";
import { fmt, log } from "./report";

type Started = { pid: number; stop: () => Promise<unknown> };

export class ClusterProcesses {
  private readonly running = new Map<string, Started>();
  /** Every process's role by pid, including those stopped since (cluster.json keeps it). */
  readonly roles: Record<number, string> = { [process.pid]: "bench" };
  /** VmRSS (MiB) of each process a few seconds after it was ready. */
  readonly idleRssMiB: Record<string, number> = {};

  constructor(
    private readonly meter: CpuMeter,
    /** The environment every app process gets (database, Telegram, throttles). */
    private readonly env: Record<string, string>,
    private readonly logFile: (name: string) => string,
  ) {}

  add(name: string, started: Started): void {
    this.running.set(name, started);
    this.meter.track(started.pid);
    this.roles[started.pid] = name;
  }

  /** A web instance that never sends (RUN_DELIVERY=false). */
  async startWeb(name: string): Promise<AppServer> {
    const web = await startApp({ ...this.env, RUN_DELIVERY: "false" }, this.logFile(name));
    this.add(name, web);
    log(`${name}: ${web.url}`);
    return web;
  }

  /** `npm start`'s shape: HTTP and delivery in one process. */
  async startServer(name: string): Promise<AppServer> {
    const server = await startApp(this.env, this.logFile(name));
    this.add(name, server);
    log(`${name} (web + delivery in one process): ${server.url}`);
    return server;
  }

  async startWorker(name: string): Promise<WorkerProcess> {
    const worker = await startWorker(this.env, this.logFile(name));
    this.add(name, worker);
    return worker;
  }

  pid(name: string): number | undefined {
    return this.running.get(name)?.pid;
  }

  pids(...names: string[]): Record<string, number | undefined> {
    return Object.fromEntries(names.map((name) => [name, this.pid(name)]));
  }

  /** Each process's resident memory 5 s after it was ready, measured together. */
  async measureIdle(...names: string[]): Promise<void> {
    const figures = await Promise.all(names.map((name) => idleRssMiB(this.pid(name))));
    names.forEach((name, i) => (this.idleRssMiB[name] = figures[i] ?? NaN));
    log(`idle RSS: ${names.map((name) => `${name} ${fmt(this.idleRssMiB[name] ?? NaN, 0)} MiB`).join(", ")}`);
  }

  /** SIGTERM: a web instance finishes its requests, a worker its sends, releasing its lanes. */
  async stop(...names: string[]): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const started = this.running.get(name);
        if (!started) return;
        this.running.delete(name);
        this.meter.untrack(started.pid);
        await started.stop();
      }),
    );
  }

  async stopAll(): Promise<void> {
    await this.stop(...this.running.keys());
  }
}
