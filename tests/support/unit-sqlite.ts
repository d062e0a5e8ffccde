import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { TEST_AUTH_SECRET, TEST_ENCRYPTION_KEY } from "./app-server";

/**
 * A real SQLite file for a unit test that talks to lib/db directly, configured the way the
 * server is. Call it before importing anything under lib/db (their settings are read once,
 * at import), then migrate it with migrateDatabase(url).
 */
export function unitSqliteDatabase(name: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), `leadgram-${name}-`)), "app.db");
  const url = `file:${file}`;
  process.env.DATABASE_URL = url;
  process.env.ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  process.env.AUTH_SECRET = TEST_AUTH_SECRET;
  return {
    url,
    /** What the file holds now, read on a connection of its own (not the code's under test). */
    rows(sql: string, ...params: unknown[]): Record<string, unknown>[] {
      const reader = new Database(file, { readonly: true });
      try {
        return reader.prepare(sql).all(...params) as Record<string, unknown>[];
      } finally {
        reader.close();
      }
    },
  };
}
