import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { SandboxClient } from "../../sandbox/client";
import { startSandbox, type RunningSandbox } from "../../sandbox/start-sandbox";
import { startAppServer, type AppServer } from "../support/app-server";
import { startTemporaryPostgres, type TemporaryPostgres } from "../support/postgres-server";
import { startWorker, type WorkerProcess } from "../support/worker-process";

/**
 * The production shape on one machine: a throwaway PostgreSQL server, the Bot API sandbox
 * with Telegram's flood limits enforced, two web instances that never send
 * (RUN_DELIVERY=false) and two delivery workers, all real processes. Any of them can be
 * SIGKILLed and started again; a restarted web instance listens on a new port. Without
 * PUBLIC_API_URL no webhook is registered: the workers long-poll the bots, as they do for a
 * server without a public address, so a killed worker's pollers move too.
 * Every process appends its output to its own file in `logDir`.
 */
export type FaultStack = {
  readonly sandbox: RunningSandbox;
  readonly client: SandboxClient;
  readonly sql: pg.Pool;
  readonly logDir: string;
  /** The web instances' current URLs, by slot. */
  webUrls(): string[];
  crashWeb(slot: number): Promise<void>;
  restartWeb(slot: number): Promise<void>;
  crashWorker(slot: number): Promise<void>;
  restartWorker(slot: number): Promise<void>;
  stop(): Promise<void>;
};

const SLOT_NAMES = ["a", "b"] as const;

export async function startFaultStack(logDir: string): Promise<FaultStack> {
  mkdirSync(logDir, { recursive: true });
  const postgres: TemporaryPostgres = await startTemporaryPostgres();
  const sandbox = await startSandbox();
  const client = new SandboxClient(sandbox.url);
  const env = {
    DATABASE_URL: postgres.url,
    TELEGRAM_API_URL: sandbox.url,
    // The load comes from one test client: the intake throttles are not what is measured.
    LEADS_PER_MINUTE_PER_CLIENT: "1000000",
    LEADS_PER_MINUTE_PER_SITE: "1000000",
    SIGNUPS_PER_HOUR_PER_CLIENT: "100000",
  };
  const webLog = (slot: number) => path.join(logDir, `web-${SLOT_NAMES[slot]}.log`);
  const workerLog = (slot: number) => path.join(logDir, `worker-${SLOT_NAMES[slot]}.log`);
  const startWeb = (slot: number) => startAppServer({ ...env, RUN_DELIVERY: "false" }, webLog(slot));
  const spawnWorker = (slot: number) => startWorker(env, workerLog(slot));

  const web: AppServer[] = [];
  const workers: WorkerProcess[] = [];
  const sql = new pg.Pool({ connectionString: postgres.url, max: 4 });
  const stopAll = async () => {
    await Promise.all(workers.map((worker) => worker.stop("SIGKILL")));
    await Promise.all(web.map((instance) => instance.stop()));
    await sql.end();
    await sandbox.close();
    await postgres.stop();
  };
  try {
    // The first process applies the migrations; the others find nothing left to do.
    web[0] = await startWeb(0);
    [web[1], workers[0], workers[1]] = await Promise.all([startWeb(1), spawnWorker(0), spawnWorker(1)]);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const instance = <T>(list: T[], slot: number): T => {
    const found = list[slot];
    if (found === undefined) throw new Error(`no process in slot ${slot}`);
    return found;
  };
  return {
    sandbox,
    client,
    sql,
    logDir,
    webUrls: () => web.map((server) => server.url),
    async crashWeb(slot) {
      const server = instance(web, slot);
      process.kill(server.pid, "SIGKILL");
      // After a SIGKILL this only waits for the exit to be reaped.
      await server.stop();
    },
    async restartWeb(slot) {
      web[slot] = await startWeb(slot);
    },
    async crashWorker(slot) {
      await instance(workers, slot).stop("SIGKILL");
    },
    async restartWorker(slot) {
      workers[slot] = await spawnWorker(slot);
    },
    stop: stopAll,
  };
}
