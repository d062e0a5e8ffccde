import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";

/**
 * A server on SQLite takes back every delivery lease it finds at start, so two servers on
 * one file would each release the other's claims and send every notification twice. The
 * second is refused, for as long as the first process lives, and no longer.
 */

const dir = mkdtempSync(path.join(tmpdir(), "leadgram-single-server-"));
const databaseFile = path.join(dir, "app.db");
const env = { DATABASE_URL: `file:${databaseFile}` };
const running: AppServer[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<AppServer> {
  const server = await startAppServer(env);
  running.push(server);
  return server;
}

describe("one server per SQLite file", () => {
  it("refuses a second server on the same file, naming it, and starts one again after the first is killed", async () => {
    const first = await start();

    const refusal = await start().then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(refusal).toMatch(/exited with code [1-9]\d* during start-up/);
    expect(refusal).toContain(`Another Leadgram server is using the SQLite database ${databaseFile}`);
    expect((await fetch(`${first.url}/api/v1/health`)).status).toBe(200);

    // A crash leaves no stale lock: the operating system released it with the process.
    process.kill(first.pid, "SIGKILL");
    await first.stop();
    const next = await start();
    expect((await fetch(`${next.url}/api/v1/health`)).status).toBe(200);
  });
});
