import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { serveNodeArgs } from "../../scripts/serve-command.mjs";
import { freePort } from "./free-port";

const root = path.resolve(import.meta.dirname, "../..");

export type AppServer = {
  url: string;
  port: number;
  /** The server process (Next runs in it), e.g. to read its memory from /proc/<pid>/status. */
  pid: number;
  logs: () => string;
  stop: () => Promise<void>;
};

// Fixed test secrets: a Fernet key (urlsafe base64 of 32 bytes) and a next-auth secret.
export const TEST_ENCRYPTION_KEY = "bGVhZGdyYW0tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=";
export const TEST_AUTH_SECRET = "test-auth-secret-that-is-long-enough-0123456789";

/**
 * Spawns a Node process of the app (the server, a worker) with the test secrets and the
 * production environment, keeping everything it prints (and appending it to `logFile`).
 */
export function spawnWithTestSecrets(
  args: string[],
  env: Record<string, string>,
  logFile?: string,
  cwd = root,
): { child: ChildProcess; logs: () => string } {
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      AUTH_SECRET: TEST_AUTH_SECRET,
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const capture = (chunk: Buffer) => {
    output += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on("data", capture);
  child.stderr?.on("data", capture);
  return { child, logs: () => output };
}

/**
 * Starts the production build with `npm run serve`'s command (its Node flags included) on a
 * free port; resolves once healthy.
 * `cwd` is where the server runs: its data/ folder (local secrets, the default SQLite file) is there.
 * `nodeFlags` replaces npm run serve's Node flags (bench/heap-flags.ts compares heap settings).
 */
export async function startAppServer(
  env: Record<string, string>,
  logFile?: string,
  options: { cwd?: string; nodeFlags?: string[] } = {},
): Promise<AppServer> {
  if (!existsSync(path.join(root, ".next/BUILD_ID")))
    throw new Error("No production build: run `npm run build` first (npm test does)");
  const port = await freePort();
  const serve = serveNodeArgs();
  const args = options.nodeFlags ? [...options.nodeFlags, ...serve.filter((arg) => !arg.startsWith("-"))] : serve;
  const { child, logs } = spawnWithTestSecrets(args, { PORT: String(port), ...env }, logFile, options.cwd);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The app exited with code ${child.exitCode} during start-up:\n${logs()}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app did not become healthy:\n${logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    port,
    pid: child.pid ?? 0,
    logs,
    stop: async () => {
      // Ended already, by itself or by a signal (a test's SIGKILL).
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}
