import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";
import { TEST_AUTH_SECRET, TEST_ENCRYPTION_KEY } from "./app-server";
import { startTemporaryPostgres } from "./postgres-server";

export type TestDatabase = { url: string; stop: () => Promise<void> };

/**
 * A fresh database of each kind the app supports, for a test of lib/ code that must behave
 * the same on both (`describe.each(EACH_DATABASE)`): a SQLite file, a throwaway PostgreSQL.
 */
export const EACH_DATABASE: { name: "sqlite" | "postgresql"; start: () => Promise<TestDatabase> }[] = [
  {
    name: "sqlite",
    start: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "leadgram-each-db-"));
      return {
        url: `file:${path.join(dir, "app.db")}`,
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  { name: "postgresql", start: startTemporaryPostgres },
];

/**
 * Points the app's modules at `databaseUrl` and migrates it. They read their settings once,
 * at import, so modules imported before are dropped: import the ones under test after this.
 */
export async function loadAppAgainst(databaseUrl: string): Promise<void> {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    AUTH_SECRET: TEST_AUTH_SECRET,
  });
  vi.resetModules();
  delete (globalThis as { leadgramDb?: unknown }).leadgramDb;
  const { migrateDatabase } = await import("@/lib/db/migrate");
  await migrateDatabase(databaseUrl);
}
