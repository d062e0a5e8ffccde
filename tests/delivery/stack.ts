import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SandboxClient } from "../../sandbox/client";
import { startSandbox, type RunningSandbox } from "../../sandbox/start-sandbox";
import { startAppServer, type AppServer } from "../support/app-server";

/**
 * A private stack per test file: the Telegram sandbox, then the app on its own SQLite file
 * pointed at it. The delivery tests switch the sandbox off, kill the server and restart it,
 * so nothing here is shared with the API suites (or with another file of this project).
 */
export type DeliveryStack = {
  /** The running server; a new object (and a new port) after every restart. */
  readonly app: AppServer;
  readonly appUrl: string;
  readonly sandbox: RunningSandbox;
  readonly client: SandboxClient;
  /** The server's SQLite file, for reading Delivery rows directly. */
  readonly dbPath: string;
  /** Everything every server of this stack printed, appended as it runs. */
  readonly logFile: string;
  /**
   * Stops the server (SIGTERM, or SIGKILL for a crash), runs `whileStopped` if given, and
   * starts a new one on the same database and sandbox.
   */
  restartApp(how?: "graceful" | "crash", whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
};

/** The public origin the app believes it has (for webhook URLs; the sandbox rewrites it to the app). */
const PUBLIC_API_URL = "https://leadgram.example";

/** `settings`: more of the app's environment, over the stack's own. */
export async function startDeliveryStack(settings: Record<string, string> = {}): Promise<DeliveryStack> {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-delivery-"));
  const dbPath = path.join(dir, "app.db");
  const logFile = path.join(dir, "app.log");
  const sandbox = await startSandbox();
  const client = new SandboxClient(sandbox.url);
  const env = {
    DATABASE_URL: `file:${dbPath}`,
    TELEGRAM_API_URL: sandbox.url,
    PUBLIC_API_URL,
    // Bursts of leads from one test client are the point here, not the intake throttle.
    LEADS_PER_MINUTE_PER_CLIENT: "100000",
    LEADS_PER_MINUTE_PER_SITE: "100000",
    ...settings,
  };

  let app: AppServer;
  try {
    app = await startApp(env, logFile);
    await client.setDeliverTo(app.url);
  } catch (error) {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    get app() {
      return app;
    },
    get appUrl() {
      return app.url;
    },
    sandbox,
    client,
    dbPath,
    logFile,
    async restartApp(how = "graceful", whileStopped) {
      if (how === "crash") {
        process.kill(serverPid(app.port), "SIGKILL");
      }
      // After SIGKILL this only waits for the child's exit to be reaped.
      await app.stop();
      await whileStopped?.();
      app = await startApp(env, logFile);
      await client.setDeliverTo(app.url);
    },
    async stop() {
      await app.stop();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * startAppServer, retried for a while when the production build is missing or half-written:
 * another engineer's `next build` may be replacing `.next` at this moment. A server that came
 * up on a broken build is left running by startAppServer, so it is ended here.
 */
async function startApp(env: Record<string, string>, logFile: string): Promise<AppServer> {
  const deadline = Date.now() + 100_000;
  for (;;) {
    try {
      return await startAppServer(env, logFile);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const buildInFlux =
        /No production build|production build|BUILD_ID|Cannot find (module|package)|Failed to load external module|ENOENT/i.test(
          message,
        );
      // Only called while no server of this stack runs: any server child of ours is a leftover.
      for (const { pid } of ourServers()) process.kill(pid, "SIGKILL");
      if (!buildInFlux || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

/**
 * Our app server children: direct children of this process running scripts/server.mjs, with
 * the PORT they were given. startAppServer keeps its child to itself (it only offers a
 * SIGTERM stop), so a crash is simulated by finding the child in /proc.
 */
function ourServers(): Array<{ pid: number; port: string | undefined }> {
  const servers: Array<{ pid: number; port: string | undefined }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may contain spaces, so parse after the last ")".
      const parentPid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parentPid !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("scripts/server.mjs")) continue;
      const port = readFileSync(`/proc/${entry}/environ`, "utf8")
        .split("\0")
        .find((variable) => variable.startsWith("PORT="))
        ?.slice("PORT=".length);
      servers.push({ pid: Number(entry), port });
    } catch {
      // the process ended while we looked
    }
  }
  return servers;
}

function serverPid(port: number): number {
  const server = ourServers().find((candidate) => candidate.port === String(port));
  if (!server) throw new Error(`no app server process of ours listens on port ${port}`);
  return server.pid;
}
