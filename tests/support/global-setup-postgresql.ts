import type { TestProject } from "vitest/node";
import { startAppServer } from "./app-server";
import { startTemporaryPostgres } from "./postgres-server";
import "./provided-context";

export default async function setup(project: TestProject) {
  const postgres = await startTemporaryPostgres();
  const app = await startAppServer({ DATABASE_URL: postgres.url });
  project.provide("appUrl", app.url);
  project.provide("database", "postgresql");
  project.provide("databaseUrl", postgres.url);
  return async () => {
    await app.stop();
    await postgres.stop();
  };
}
