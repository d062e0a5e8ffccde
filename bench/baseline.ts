// The baseline the app is measured against: bench/baseline-server.ts in a child process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const root = path.resolve(import.meta.dirname, "..");

export type Baseline = {
  url: string;
  pid: number | undefined;
  /** What makes a commit durable there, e.g. "journal_mode=wal, synchronous=2 [2 = FULL]". */
  durability: string;
  stop: () => Promise<void>;
};

export async function startBaseline(databaseUrl: string, extraEnv: Record<string, string>): Promise<Baseline> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(root, "bench/baseline-server.ts")],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", BENCH_DATABASE_URL: databaseUrl, ...extraEnv },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const ready = await new Promise<{ port: number; durability: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("baseline server did not start in 30 s")), 30_000);
    child.once("exit", (code) => reject(new Error(`baseline server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { port: number; durability: string });
    });
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    pid: child.pid,
    durability: ready.durability,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}
