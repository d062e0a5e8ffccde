import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startAppServer } from "./app-server";
import "./provided-context";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-sqlite-"));
  const databaseUrl = `file:${path.join(dir, "app.db")}`;
  const app = await startAppServer({ DATABASE_URL: databaseUrl });
  project.provide("appUrl", app.url);
  project.provide("database", "sqlite");
  project.provide("databaseUrl", databaseUrl);
  return async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
