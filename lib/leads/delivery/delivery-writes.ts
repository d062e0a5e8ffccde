import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { databaseNow, millisecondsSince } from "@/lib/db/database-clock";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import type { DeliveryReasonCode, DeliveryStatus } from "@/lib/schemas/leads";
import { recordSentMessage, type SentMessage } from "./edit-writes";
import { abandonedClaimsAreFenced, laneFence, laneIsFree, type LaneFence } from "./lane-leases";

/**
 * The delivery state machine: its states, and every write of a delivery row (creation at
 * intake, the claim before a send, each write of its progress after, the resend, and the
 * release at start-up). No other module writes a Delivery or names a state.
 *
 *   pending ──claim──▶ sending ──▶ sent | retrying | failed | skipped
 *   retrying (due) ──claim──▶ sending;   sending (lease ran out) ──claim──▶ sending
 *   sending ──shutdown or start-up──▶ retrying;   anything but sending ──resend──▶ pending
 */
export const DELIVERY_STATES = ["pending", "sending", "sent", "retrying", "failed", "skipped"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** Still to be sent: the dispatcher's queue, oldest first. */
export const UNFINISHED_STATES: DeliveryState[] = ["pending", "retrying", "sending"];
/** How an attempt can end. */
export type OutcomeState = Extract<DeliveryState, "sent" | "retrying" | "failed" | "skipped">;

/** The descriptions Leadgram itself stores for a delivery (the others are Telegram's own words). */
export const LEADGRAM_REASONS = {
  no_integration: "No active Telegram integration",
  no_chat: "No chat configured for notifications",
  telegram_unavailable: "Telegram API unavailable",
} as const satisfies Partial<Record<DeliveryReasonCode, string>>;

/** "sending" is internal (a dispatcher holds the row): to the owner it is still pending. */
export function publicStatus(state: string): DeliveryStatus {
  const stored = z.enum(DELIVERY_STATES).parse(state);
  return stored === "sending" ? "pending" : stored;
}

/** The stored states that the inbox shows as `status`. */
export function statesShownAs(status: DeliveryStatus): DeliveryState[] {
  return status === "pending" ? ["pending", "sending"] : [status];
}

/**
 * After creation (one Prisma createMany per batch of leads, inside their transaction), the
 * queue's reads and writes are SQL: a Prisma model query costs about 0.4 ms of CPU to
 * build and run, four times the SQL itself, and the delivery thread shares the machine
 * with the thread that accepts leads. Prisma still binds the parameters and converts
 * dates and big integers as its own queries do.
 *
 * Times come from the database's clock (lib/db/database-clock.ts), and every claim
 * writes a new token that each later write must still find: a sender that stalled past
 * its lease, or whose clock is off, cannot write over the claim that took its place. The
 * claim and every write also need the tenant's lane still held with the token the sender
 * took it with (lane-leases.ts): after a takeover of the lane, nothing of the former
 * holder's lands, and its new holder may claim at once a delivery left "sending".
 */

/** Until when a claimed delivery is ours; after a crash another process takes it over then. */
const LEASE_MS = 2 * 60_000;

/**
 * Ready to send: new or resent (at once), waiting for a retry that came due, or left
 * "sending" by a sender that is gone: one whose lease ran out, or on PostgreSQL any (only
 * the lane's holder claims, and the lane's token fences off the one before it).
 */
function isDue(): Prisma.Sql {
  const now = databaseNow();
  const abandoned = abandonedClaimsAreFenced()
    ? Prisma.sql`TRUE`
    : Prisma.sql`("leaseUntil" IS NULL OR "leaseUntil" < ${now})`;
  return Prisma.sql`("status" = 'pending'
    OR ("status" = 'retrying' AND "nextAttemptAt" <= ${now})
    OR ("status" = 'sending' AND ${abandoned}))`;
}

/**
 * The lead's delivery, queued at the lead's own creation time (the inbox's status filter
 * reads Delivery by it), for the transaction that stores the lead.
 */
export function createDeliveries(leads: { id: string; tenantId: string; createdAt: Date }[]) {
  const initial: DeliveryState = "pending";
  return db().delivery.createMany({
    data: leads.map((lead) => ({
      tenantId: lead.tenantId,
      leadId: lead.id,
      status: initial,
      createdAt: lead.createdAt,
      nextAttemptAt: lead.createdAt,
      queuedAt: lead.createdAt,
    })),
  });
}

/** Tenants with a delivery due whose lane is free, for the dispatcher's poll. */
export async function tenantsWithDueDeliveries(limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT "tenantId" FROM "Delivery" WHERE ${isDue()} AND ${laneIsFree(`"Delivery"."tenantId"`)} LIMIT ${limit}`;
  return rows.map((row) => row.tenantId);
}

/** A delivery this process holds, as the claim found it. */
export type Claim = {
  deliveryId: string;
  token: string;
  /** The lane the delivery was claimed in. */
  lane: LaneFence;
  partsSent: number;
  attempts: number;
  /** Since the notification was queued (intake or the last resend), by the database's clock. */
  queuedForMs: number;
};

/**
 * Claims the delivery in its tenant's lane if it is due: marks it as being sent under a new
 * token and a lease. Null when it is not due, another process holds it, or the lane is lost.
 */
export async function claimDelivery(lane: LaneFence, deliveryId: string): Promise<Claim | null> {
  const token = randomUUID();
  const rows = await db().$queryRaw<{ partsSent: number; attempts: number; queuedForMs: number }[]>`
    UPDATE "Delivery" SET "status" = 'sending', "claimToken" = ${token}, "leaseUntil" = ${databaseNow(LEASE_MS)}, "updatedAt" = ${databaseNow()}
    WHERE "id" = ${deliveryId} AND "tenantId" = ${lane.tenantId} AND ${isDue()} AND ${laneFence(lane)}
    RETURNING "partsSent", "attempts", ${millisecondsSince("queuedAt")} AS "queuedForMs"`;
  const row = rows[0];
  if (!row) return null;
  return {
    deliveryId,
    token,
    lane,
    partsSent: Number(row.partsSent),
    attempts: Number(row.attempts),
    queuedForMs: Number(row.queuedForMs),
  };
}

const stillClaimed = (claim: Claim) =>
  Prisma.sql`"id" = ${claim.deliveryId} AND "claimToken" = ${claim.token} AND ${laneFence(claim.lane)}`;

const claimHeld = (claim: Claim) => Prisma.sql`EXISTS (SELECT 1 FROM "Delivery" WHERE ${stillClaimed(claim)})`;

/**
 * Records a part Telegram accepted, with the message it became, and renews the lease;
 * false when the claim was taken over.
 */
export async function recordPartSent(claim: Claim, partsSent: number, message: SentMessage): Promise<boolean> {
  const [updated] = await db().$transaction([
    db().$executeRaw`
      UPDATE "Delivery" SET "partsSent" = ${partsSent}, "leaseUntil" = ${databaseNow(LEASE_MS)}, "updatedAt" = ${databaseNow()}
      WHERE ${stillClaimed(claim)}`,
    ...recordSentMessage(message, claimHeld(claim)),
  ]);
  return updated === 1;
}

/** Returns the delivery to the queue unsent (a shutdown); false when the claim was taken over. */
export async function handBack(claim: Claim, partsSent: number): Promise<boolean> {
  const updated = await db().$executeRaw`
    UPDATE "Delivery" SET "status" = 'retrying', "leaseUntil" = NULL, "partsSent" = ${partsSent}, "updatedAt" = ${databaseNow()}
    WHERE ${stillClaimed(claim)}`;
  return updated === 1;
}

/** `reason` is the description shown to the owner (Telegram's own words, or Leadgram's); `code` classifies it. */
export type Outcome = {
  status: OutcomeState;
  reason: string | null;
  code: DeliveryReasonCode | null;
  errorCode?: number;
  retryInMs?: number;
};
/** `message`: the last part, sent by this attempt. */
type Progress = { partsSent?: number; chatId?: bigint; message?: SentMessage };
/** The owner's group became a supergroup: the integration's chat moves with it. */
export type ChatMigration = { integrationId: string; fromChatId: bigint; toChatId: bigint };

/**
 * Ends an attempt: the delivery's new state, the message it sent or the chat migration
 * that caused it if any, and a line in its history, in one transaction; all or nothing of
 * it, nothing when the claim was taken over (false). `partsSent` and `chatId` are kept as they were when not
 * given. The token stays on the row: the update holds the row until the commit, so the
 * writes after it can still check the claim.
 */
export async function recordAttempt(
  claim: Claim,
  outcome: Outcome,
  progress: Progress = {},
  migration?: ChatMigration,
): Promise<boolean> {
  const now = databaseNow();
  const statements = [
    db().$executeRaw`
      UPDATE "Delivery" SET
        "status" = ${outcome.status},
        "attempts" = "attempts" + 1,
        "lastError" = ${outcome.reason},
        "reasonCode" = ${outcome.code},
        "leaseUntil" = NULL,
        "nextAttemptAt" = ${outcome.retryInMs === undefined ? Prisma.raw(`"nextAttemptAt"`) : databaseNow(outcome.retryInMs)},
        "sentAt" = ${outcome.status === "sent" ? now : Prisma.raw(`"sentAt"`)},
        "partsSent" = COALESCE(${progress.partsSent ?? null}, "partsSent"),
        "chatId" = COALESCE(${progress.chatId ?? null}, "chatId"),
        "updatedAt" = ${now}
      WHERE ${stillClaimed(claim)}`,
  ];
  const held = claimHeld(claim);
  if (migration) {
    statements.push(db().$executeRaw`
      UPDATE "TelegramIntegration" SET "ownerChatId" = ${migration.toChatId}, "updatedAt" = ${now}
      WHERE "id" = ${migration.integrationId} AND "ownerChatId" = ${migration.fromChatId} AND ${held}`);
  }
  if (progress.message) statements.push(...recordSentMessage(progress.message, held));
  statements.push(db().$executeRaw`
    INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "attemptedAt", "outcome", "errorCode", "description", "reasonCode")
    SELECT ${randomUUID()}, ${claim.deliveryId}, ${now}, ${outcome.status}, CAST(${outcome.errorCode ?? null} AS INTEGER), CAST(${outcome.reason} AS TEXT),
      CAST(${outcome.code} AS TEXT)
    WHERE ${held}`);
  const [updated] = await db().$transaction(statements);
  return updated === 1;
}

/**
 * Queues the notification again from its first part, with a new 24-hour window, unless a
 * dispatcher is sending it right now (false). Clearing the token fences off any sender
 * that still believes it holds the delivery.
 */
export async function requeueDelivery(deliveryId: string): Promise<boolean> {
  const now = databaseNow();
  const updated = await db().$executeRaw`
    UPDATE "Delivery" SET "status" = 'pending', "partsSent" = 0, "lastError" = NULL, "reasonCode" = NULL, "leaseUntil" = NULL, "claimToken" = NULL,
      "nextAttemptAt" = ${now}, "queuedAt" = ${now}, "updatedAt" = ${now}
    WHERE "id" = ${deliveryId} AND "status" <> 'sending'`;
  return updated === 1;
}

/** Ends every claim (SQLite at start-up: only one process uses the file, and it just started). */
export async function releaseAllClaims(): Promise<void> {
  await db().$executeRaw`
    UPDATE "Delivery" SET "status" = 'retrying', "leaseUntil" = NULL, "claimToken" = NULL, "updatedAt" = ${databaseNow()}
    WHERE "status" = 'sending'`;
}
