import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SandboxClient } from "../sandbox/client";
import { startSandbox } from "../sandbox/start-sandbox";
import { startAppServer } from "../tests/support/app-server";

/**
 * The production build on a fresh SQLite database, pointed at the Telegram sandbox (which
 * delivers webhooks to it), for the whole browser suite; and a second one without a public
 * address, as a newcomer's laptop runs it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-e2e-"));
  const sandbox = await startSandbox();
  const app = await startAppServer({
    DATABASE_URL: `file:${path.join(dir, "app.db")}`,
    TELEGRAM_API_URL: sandbox.url,
    PUBLIC_API_URL: "https://leadgram.example",
    // Every spec signs up from this one machine's address.
    SIGNUPS_PER_HOUR_PER_CLIENT: "1000",
  });
  await new SandboxClient(sandbox.url).setDeliverTo(app.url);
  // The default install: no public address, so its bots are heard by long polling.
  const offlineApp = await startAppServer({
    DATABASE_URL: `file:${path.join(dir, "offline.db")}`,
    TELEGRAM_API_URL: sandbox.url,
    SIGNUPS_PER_HOUR_PER_CLIENT: "1000",
  });
  // Workers start after this and inherit the environment.
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_OFFLINE_BASE_URL = offlineApp.url;
  process.env.E2E_SANDBOX_URL = sandbox.url;
  return async () => {
    await Promise.all([app.stop(), offlineApp.stop()]);
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
