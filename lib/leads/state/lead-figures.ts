import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { databaseNow } from "@/lib/db/database-clock";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import type { LeadFigures } from "@/lib/schemas/leads";

const WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Minutes from a lead's notification first reaching Telegram (its first `sent` attempt; a
 * resend moves the delivery's sentAt) to its first change to in_progress, for the leads
 * whose first take was in the last 30 days: read from the changes to in_progress in that
 * window (index LeadStateChange (tenantId, state, at)), so the work is bounded by the takes
 * of 30 days, not by the site's leads. Takes before the notification arrived (from the
 * inbox, before Telegram had it) say nothing about it and are left out.
 */
function waitsSql(tenantId: string, minutesBetween: (from: Prisma.Sql, to: Prisma.Sql) => Prisma.Sql) {
  const since = databaseNow(-WINDOW_MS);
  const minutes = minutesBetween(Prisma.sql`MIN(a."attemptedAt")`, Prisma.sql`t."takenAt"`);
  return Prisma.sql`
    "firstTakes" AS (
      SELECT c."leadId", MIN(c."at") AS "takenAt"
      FROM "LeadStateChange" c
      WHERE c."tenantId" = ${tenantId} AND c."state" = 'in_progress' AND c."at" >= ${since}
        AND NOT EXISTS (
          SELECT 1 FROM "LeadStateChange" e
          WHERE e."leadId" = c."leadId" AND e."state" = 'in_progress' AND e."at" < ${since})
      GROUP BY c."leadId"
    ),
    "waits" AS (
      SELECT ${minutes} AS "minutes"
      FROM "firstTakes" t
      JOIN "Delivery" d ON d."leadId" = t."leadId"
      JOIN "DeliveryAttempt" a ON a."deliveryId" = d."id" AND a."outcome" = 'sent'
      GROUP BY t."leadId", t."takenAt"
      HAVING ${minutes} >= 0
    )`;
}

/** The median of the waits, computed by the database (SQLite has no median function: the middle one or two rows). */
function medianSql(tenantId: string): Prisma.Sql {
  if (config().databaseProvider === "sqlite") {
    const waits = waitsSql(tenantId, (from, to) => Prisma.sql`((julianday(${to}) - julianday(${from})) * 1440.0)`);
    return Prisma.sql`
      WITH ${waits}
      SELECT AVG("minutes") AS "median" FROM (
        SELECT "minutes" FROM "waits" ORDER BY "minutes"
        LIMIT 2 - (SELECT COUNT(*) FROM "waits") % 2
        OFFSET ((SELECT COUNT(*) FROM "waits") - 1) / 2)`;
  }
  const waits = waitsSql(
    tenantId,
    (from, to) => Prisma.sql`(CAST(EXTRACT(EPOCH FROM (${to} - ${from})) AS DOUBLE PRECISION) / 60.0)`,
  );
  return Prisma.sql`
    WITH ${waits}
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "minutes") AS "median" FROM "waits"`;
}

/** GET /api/v1/leads/stats: the dashboard's figures about the team's work on leads. */
export async function leadFigures(tenantId: string): Promise<LeadFigures> {
  const [openLeads, [row]] = await Promise.all([
    db().lead.count({ where: { tenantId, state: { in: ["new", "in_progress"] } } }),
    db().$queryRaw<{ median: number | null }[]>(medianSql(tenantId)),
  ]);
  const median = row?.median ?? null;
  return {
    open_leads: openLeads,
    median_minutes_to_take: median === null ? null : Math.round(Number(median) * 10) / 10,
  };
}
