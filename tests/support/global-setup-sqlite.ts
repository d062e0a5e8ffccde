import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startStack } from "./start-stack";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "leadgram-sqlite-"));
  const stop = await startStack(project, "sqlite", `file:${path.join(dir, "app.db")}`);
  return async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
