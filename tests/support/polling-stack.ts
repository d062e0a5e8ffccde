import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { SandboxClient } from "../../sandbox/client";
import { startSandbox, type RunningSandbox } from "../../sandbox/start-sandbox";
import { startAppServer, type AppServer } from "./app-server";

/**
 * A private stack for the polling tests that stop, kill and add servers: its own sandbox
 * and its own database of the suite's kind (a new SQLite file, or a new database on the
 * suite's PostgreSQL server), and servers without PUBLIC_API_URL, as on a laptop.
 * Several servers may share the database on PostgreSQL; SQLite allows one at a time.
 */
export type PollingStack = {
  readonly sandbox: RunningSandbox;
  readonly client: SandboxClient;
  readonly databaseUrl: string;
  startServer(): Promise<AppServer>;
  stop(): Promise<void>;
};

/** A new empty database on the PostgreSQL server at `serverUrl`; `drop` removes it. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `polling_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

export async function startPollingStack(): Promise<PollingStack> {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-polling-"));
  const database =
    inject("database") === "sqlite"
      ? { url: `file:${path.join(dir, "app.db")}`, drop: async () => {} }
      : await createPostgresDatabase(inject("databaseUrl"));
  const sandbox = await startSandbox();
  const servers: AppServer[] = [];
  return {
    sandbox,
    client: new SandboxClient(sandbox.url),
    databaseUrl: database.url,
    async startServer() {
      const server = await startAppServer(
        { DATABASE_URL: database.url, TELEGRAM_API_URL: sandbox.url },
        path.join(dir, "app.log"),
      );
      servers.push(server);
      return server;
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await sandbox.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
