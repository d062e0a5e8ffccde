import { defineConfig } from "vitest/config";
import path from "node:path";

const root = import.meta.dirname;

/** The HTTP suite runs twice, once per database, each against its own real server. */
const apiProject = (database: "sqlite" | "postgresql") => ({
  extends: true as const,
  test: {
    name: `api-${database}`,
    include: ["tests/api/**/*.test.ts"],
    globalSetup: [`tests/support/global-setup-${database}.ts`],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Unit tests import server modules directly; outside React Server Components the
      // marker package throws, so point it at its own no-op entry.
      "server-only": path.join(root, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    environment: "node",
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["lib/**/*.test.ts", "sandbox/**/*.test.ts", "scripts/**/*.test.ts"] },
      },
      apiProject("sqlite"),
      apiProject("postgresql"),
      {
        extends: true,
        test: {
          name: "delivery",
          include: ["tests/delivery/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "fault",
          include: ["tests/fault/**/*.test.ts"],
          // In a group of its own, after the parallel suites: its six processes would slow them, and they it.
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
