import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startAppServer } from "../tests/support/app-server";

/** One app server on a fresh SQLite database for the whole browser suite. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-e2e-"));
  const app = await startAppServer({ DATABASE_URL: `file:${path.join(dir, "app.db")}` });
  // Workers start after this and inherit the environment.
  process.env.E2E_BASE_URL = app.url;
  return async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
