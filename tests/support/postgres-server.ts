import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

/**
 * A throwaway PostgreSQL server: initdb into a temporary folder, listen on a free
 * loopback port, trust local connections. Postgres refuses to run as root, so as root
 * it runs as the `postgres` system user that Debian's package creates.
 */
function postgresBinDir(): string {
  const candidates: string[] = [];
  const debianBase = "/usr/lib/postgresql";
  if (existsSync(debianBase)) {
    for (const version of readdirSync(debianBase).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(debianBase, version, "bin"));
  }
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // no pg_config on PATH
  }
  const found = candidates.find((dir) => existsSync(path.join(dir, "initdb")));
  if (!found) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql)");
  return found;
}

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  return isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

export type TemporaryPostgres = { url: string; stop: () => Promise<void> };

export async function startTemporaryPostgres(): Promise<TemporaryPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-pg-"));
  const dataDir = path.join(dir, "data");
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const [initCmd, initArgs] = asPostgresUser(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "leadgram",
    "--auth=trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  execFileSync(initCmd, initArgs, { stdio: "ignore" });

  const port = await freePort();
  // fsync off: a test database need not survive a power cut, and it is much faster.
  const options = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c max_connections=200`;
  const [startCmd, startArgs] = asPostgresUser(path.join(bin, "pg_ctl"), [
    "-D",
    dataDir,
    "-o",
    options,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  try {
    execFileSync(startCmd, startArgs, { stdio: "ignore" });
  } catch {
    throw new Error(`PostgreSQL did not start:\n${readFileSync(path.join(dir, "server.log"), "utf8")}`);
  }
  const [createCmd, createArgs] = asPostgresUser(path.join(bin, "createdb"), [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "leadgram",
    "leadgram",
  ]);
  execFileSync(createCmd, createArgs, { stdio: "ignore" });

  return {
    url: `postgresql://leadgram@127.0.0.1:${port}/leadgram`,
    stop: async () => {
      const [stopCmd, stopArgs] = asPostgresUser(path.join(bin, "pg_ctl"), [
        "-D",
        dataDir,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]);
      execFileSync(stopCmd, stopArgs, { stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
