import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { SandboxClient } from "../../sandbox/client";
import { startSandbox } from "../../sandbox/start-sandbox";
import { startAppServer } from "./app-server";
import "./provided-context";

/** The public origin the app believes it has; the sandbox delivers its webhooks to the app. */
export const TEST_PUBLIC_API_URL = "https://leadgram.example";

/**
 * The Telegram sandbox and the app pointed at it. The sandbox starts first (the app needs
 * its URL) and learns the app's address afterwards, as a TLS proxy in front of it would.
 */
export async function startStack(project: TestProject, database: "sqlite" | "postgresql", databaseUrl: string) {
  const sandbox = await startSandbox();
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), "leadgram-log-")), "app.log");
  const app = await startAppServer(
    { DATABASE_URL: databaseUrl, TELEGRAM_API_URL: sandbox.url, PUBLIC_API_URL: TEST_PUBLIC_API_URL },
    logFile,
  ).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  await new SandboxClient(sandbox.url).setDeliverTo(app.url);
  project.provide("appUrl", app.url);
  project.provide("appPid", app.pid);
  project.provide("sandboxUrl", sandbox.url);
  project.provide("database", database);
  project.provide("databaseUrl", databaseUrl);
  project.provide("appLogFile", logFile);
  return async () => {
    await app.stop();
    await sandbox.close();
  };
}
