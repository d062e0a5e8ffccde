import type { TestProject } from "vitest/node";
import { startTemporaryPostgres } from "./postgres-server";
import { startStack } from "./start-stack";

export default async function setup(project: TestProject) {
  const postgres = await startTemporaryPostgres();
  const stop = await startStack(project, "postgresql", postgres.url);
  return async () => {
    await stop();
    await postgres.stop();
  };
}
