import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

// The lock is the process's, whichever bundle asked for it first (Next may evaluate this
// module more than once); keeping it here also keeps it from being garbage-collected.
const globalForLock = globalThis as unknown as { leadgramSqliteLock?: Database.Database };

/**
 * Makes this process the only Leadgram server on the SQLite file, for as long as it lives.
 *
 * A server on SQLite takes back, at start, every delivery lease it finds (the previous
 * process on the file is gone); a second server on the same file would take the first's
 * and both would send. So a second server is refused.
 *
 * The lock is SQLite's own file lock (POSIX advisory, fcntl) on `<file>.lock`, held by an
 * exclusive transaction that is never ended: the operating system drops it when the
 * process ends, however it ends (a crash, SIGKILL, a power cut), so no stale lock is ever
 * left to clean up. A sibling file, because an exclusive lock on the database itself
 * would also shut out this process's own connections.
 */
export function lockSqliteFile(file: string): void {
  if (globalForLock.leadgramSqliteLock) return;
  const lockFile = `${file}.lock`;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  // timeout 0: a held lock is an answer, not something to wait for.
  const lock = new Database(lockFile, { timeout: 0 });
  try {
    // The transaction never writes; with its journal in memory it leaves no file behind.
    lock.pragma("journal_mode = MEMORY");
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      throw new Error(
        `Another Leadgram server is using the SQLite database ${file} (it holds ${lockFile}). ` +
          "Only one server may run on a SQLite file: stop the other one first, or use PostgreSQL (DATABASE_URL=postgresql://...) to run several.",
      );
    }
    throw error;
  }
  globalForLock.leadgramSqliteLock = lock;
}
