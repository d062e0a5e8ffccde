import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";

/**
 * The two writes made for every notification sent: the claim before it and the outcome
 * after it. As Prisma model queries each cost about 0.4 ms of CPU to build and run, four
 * times the SQL itself, and the delivery thread shares the machine with the thread that
 * accepts leads. Plain SQL that SQLite and PostgreSQL both accept; Prisma still binds the
 * parameters and converts dates and big integers as its own queries do.
 */

/** Until when a claimed delivery is ours; after a crash another process takes it over then. */
const LEASE_MS = 2 * 60_000;

/**
 * Marks the delivery as being sent, if it is still as it was read: another process that
 * claimed it first, or a resend that reset it, leaves this claim with nothing to do.
 */
export async function claimDelivery(delivery: { id: string; status: string; leaseUntil: Date | null }, now: Date): Promise<boolean> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const claimed = await db().$executeRaw`
    UPDATE "Delivery" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "updatedAt" = ${now}
    WHERE "id" = ${delivery.id} AND "status" = ${delivery.status} AND "leaseUntil" IS NOT DISTINCT FROM ${delivery.leaseUntil}`;
  return claimed === 1;
}

export type Outcome = { status: "sent" | "retrying" | "failed" | "skipped"; reason: string | null; errorCode?: number; nextAttemptAt?: Date };

/**
 * Ends an attempt: the delivery's new state and a line in its history, in one transaction.
 * `partsSent` and `chatId` are kept as they were when not given.
 */
export async function recordAttempt(deliveryId: string, outcome: Outcome, progress: { partsSent?: number; chatId?: bigint } = {}): Promise<void> {
  const now = new Date();
  const sentAt = outcome.status === "sent" ? now : null;
  await db().$transaction([
    db().$executeRaw`
      UPDATE "Delivery" SET
        "status" = ${outcome.status},
        "attempts" = "attempts" + 1,
        "lastError" = ${outcome.reason},
        "leaseUntil" = NULL,
        "nextAttemptAt" = COALESCE(${outcome.nextAttemptAt ?? null}, "nextAttemptAt"),
        "sentAt" = COALESCE(${sentAt}, "sentAt"),
        "partsSent" = COALESCE(${progress.partsSent ?? null}, "partsSent"),
        "chatId" = COALESCE(${progress.chatId ?? null}, "chatId"),
        "updatedAt" = ${now}
      WHERE "id" = ${deliveryId}`,
    db().$executeRaw`
      INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "attemptedAt", "outcome", "errorCode", "description")
      VALUES (${randomUUID()}, ${deliveryId}, ${now}, ${outcome.status}, ${outcome.errorCode ?? null}, ${outcome.reason})`,
  ]);
}
