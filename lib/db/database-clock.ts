import "server-only";
import { config } from "@/lib/config";
import { Prisma } from "./generated/sqlite/client";

/**
 * SQL for the database's own clock. Delivery leases and retry times are set by one server
 * and compared by another, whose clocks may disagree; the database's clock is the one they
 * share. Each expression is fixed within one statement (PostgreSQL: within one transaction).
 *
 * SQLite: the Prisma adapter stores a DateTime as ISO-8601 text such as
 * "2026-11-30T03:43:41.288+00:00", which orders correctly as text only in exactly that
 * form, so the clock is written in it. PostgreSQL: `timestamp(3)` in UTC.
 */

/** The database's time now, plus `offsetMs`, as a DateTime column holds it. */
export function databaseNow(offsetMs = 0): Prisma.Sql {
  if (config().databaseProvider === "sqlite") {
    return Prisma.sql`strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', ${`${offsetMs / 1000} seconds`})`;
  }
  return Prisma.sql`((now() AT TIME ZONE 'UTC') + CAST(${offsetMs} AS DOUBLE PRECISION) * INTERVAL '1 millisecond')`;
}

/** Milliseconds from the DateTime in `column` to the database's time now. */
export function millisecondsSince(column: string): Prisma.Sql {
  const quoted = Prisma.raw(`"${column}"`);
  if (config().databaseProvider === "sqlite") {
    return Prisma.sql`((julianday('now') - julianday(${quoted})) * 86400000.0)`;
  }
  return Prisma.sql`CAST(EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - ${quoted}) * 1000 AS DOUBLE PRECISION)`;
}
