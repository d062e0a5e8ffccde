import "server-only";
import { log } from "@/lib/log";
import type { LockPatience } from "./migrate";

/** What a starting server or worker says while a migration gives way to other transactions. */
export const logLockWait: NonNullable<LockPatience["onLockWait"]> = ({ migration, attempt, waitedMs }) =>
  log.warn(
    { migration, attempt, waitedMs },
    "migration waiting: other transactions hold its tables; it gives way and tries again",
  );
