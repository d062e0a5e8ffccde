import "server-only";
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { databaseNow, millisecondsSince } from "@/lib/db/database-clock";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import type { DeliveryReasonCode } from "@/lib/schemas/leads";
import type { Tx } from "@/lib/leads/state/lead-actor";
import { abandonedClaimsAreFenced, laneFence, laneIsFree, type LaneFence } from "./lane-leases";

/**
 * The messages sent for a lead, and the outbox of their edits: every write of a LeadMessage
 * row. A message is recorded in the same write that records its part as sent. The one
 * that carries the buttons (a notification's last part) is edited when the lead's state
 * changes, from Telegram or the inbox:
 *
 *   idle ──request──▶ pending ──claim──▶ sending ──▶ idle | retrying | failed | gone
 *   retrying (due) ──claim──▶ sending;   sending (lease ran out) ──claim──▶ sending
 *   failed ──request──▶ pending;   gone (deleted, or can't be edited) stays gone
 *
 * An edit shows the lead as it is when it is sent, so several changes in a row collapse
 * into one edit: a request only raises `wantedVersion` (the lead's state version to show),
 * and an edit that showed an older version than wanted leaves the row pending. Claims,
 * leases, lane fencing and times work as the deliveries' (delivery-writes.ts), by the
 * database's clock.
 */
const LEASE_MS = 2 * 60_000;

function isDue(): Prisma.Sql {
  const now = databaseNow();
  const abandoned = abandonedClaimsAreFenced()
    ? Prisma.sql`TRUE`
    : Prisma.sql`("editLeaseUntil" IS NULL OR "editLeaseUntil" < ${now})`;
  return Prisma.sql`("editStatus" = 'pending'
    OR ("editStatus" = 'retrying' AND "editNextAttemptAt" <= ${now})
    OR ("editStatus" = 'sending' AND ${abandoned}))`;
}

/** A part Telegram accepted, to record with the delivery's progress. */
export type SentMessage = {
  tenantId: string;
  leadId: string;
  deliveryId: string;
  botId: bigint;
  chatId: bigint;
  messageId: bigint;
  part: number;
  carriesKeyboard: boolean;
  /** The lead's state version the part was drawn for. */
  shownVersion: number;
};

/**
 * The statements that record a sent message, for the delivery's progress transaction;
 * nothing is written unless `claimHeld` (the delivery's claim) is true. The message with
 * the buttons is due for an edit at once if the lead changed while it was being sent.
 *
 * On PostgreSQL the lead's row lock is taken first (an update that changes nothing) before
 * the version is read: a change of state committing meanwhile is then either seen here, or
 * waits and then finds the row to edit. SQLite needs no lock: the transaction's first write
 * holds the database's, so nothing commits between its read and its insert.
 */
export function recordSentMessage(message: SentMessage, claimHeld: Prisma.Sql) {
  const now = databaseNow();
  const editStatus = message.carriesKeyboard
    ? Prisma.sql`CASE WHEN l."stateVersion" <> ${message.shownVersion} THEN 'pending' ELSE 'idle' END`
    : Prisma.sql`'idle'`;
  const lockLead =
    config().databaseProvider === "postgresql"
      ? [
          db()
            .$executeRaw`UPDATE "Lead" SET "stateVersion" = "stateVersion" WHERE "id" = ${message.leadId} AND ${claimHeld}`,
        ]
      : [];
  return [
    ...lockLead,
    db().$executeRaw`
      INSERT INTO "LeadMessage" ("id", "tenantId", "leadId", "deliveryId", "botId", "chatId", "messageId", "part", "carriesKeyboard",
        "shownVersion", "wantedVersion", "editStatus", "editAttempts", "editNextAttemptAt", "editQueuedAt", "createdAt")
      SELECT CAST(${randomUUID()} AS TEXT), CAST(${message.tenantId} AS TEXT), l."id", CAST(${message.deliveryId} AS TEXT),
        CAST(${message.botId} AS BIGINT), CAST(${message.chatId} AS BIGINT), CAST(${message.messageId} AS BIGINT),
        CAST(${message.part} AS INTEGER), CAST(${message.carriesKeyboard} AS BOOLEAN), CAST(${message.shownVersion} AS INTEGER),
        l."stateVersion", ${editStatus}, 0, ${now}, ${now}, ${now}
      FROM "Lead" l WHERE l."id" = ${message.leadId} AND ${claimHeld}`,
  ];
}

/**
 * Asks for the lead's messages with buttons to show its state `version`, in the
 * transaction of the change (so the request commits with it or not at all). `refresh`: a
 * press found a message showing an older state than it should, so it is redrawn even if
 * it is believed up to date. An edit in flight or waiting for its retry keeps its turn
 * (it will show the latest state); one that failed is tried again; a message gone stays.
 */
export async function requestEdits(tx: Tx, leadId: string, version: number, { refresh = false } = {}): Promise<number> {
  const now = databaseNow();
  const keepsTurn = Prisma.sql`"editStatus" IN ('sending', 'retrying', 'gone')`;
  return tx.$executeRaw`
    UPDATE "LeadMessage" SET
      "wantedVersion" = ${version},
      "shownVersion" = ${refresh ? null : Prisma.raw(`"shownVersion"`)},
      "editStatus" = CASE WHEN ${keepsTurn} THEN "editStatus" ELSE 'pending' END,
      "editAttempts" = CASE WHEN ${keepsTurn} THEN "editAttempts" ELSE 0 END,
      "editNextAttemptAt" = CASE WHEN ${keepsTurn} THEN "editNextAttemptAt" ELSE ${now} END,
      "editQueuedAt" = ${now}
    WHERE "leadId" = ${leadId} AND "carriesKeyboard"`;
}

/** changeLeadState's `onChanged` for every change: the lead's messages are to show it. */
export async function editMessagesAfterChange(tx: Tx, change: { lead: { id: string; stateVersion: number } }) {
  await requestEdits(tx, change.lead.id, change.lead.stateVersion);
}

/** Tenants with an edit due whose lane is free, for the dispatcher's poll. */
export async function tenantsWithDueEdits(limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT "tenantId" FROM "LeadMessage" WHERE ${isDue()} AND ${laneIsFree(`"LeadMessage"."tenantId"`)} LIMIT ${limit}`;
  return rows.map((row) => row.tenantId);
}

/** The tenant's edits due, oldest request first. */
export async function dueEdits(tenantId: string, limit: number): Promise<string[]> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "LeadMessage" WHERE "tenantId" = ${tenantId} AND ${isDue()}
    ORDER BY "editQueuedAt", "id" LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

/** An edit this process holds, with the message it is for. */
export type EditClaim = {
  messageRowId: string;
  token: string;
  /** The lane the edit was claimed in. */
  lane: LaneFence;
  tenantId: string;
  leadId: string;
  botId: bigint;
  chatId: bigint;
  messageId: bigint;
  part: number;
  attempts: number;
  /** Since the edit was last asked for, by the database's clock. */
  queuedForMs: number;
};

/** Claims the edit in its tenant's lane if it is due; null when it is not, another process holds it, or the lane is lost. */
export async function claimEdit(lane: LaneFence, messageRowId: string): Promise<EditClaim | null> {
  const token = randomUUID();
  const rows = await db().$queryRaw<
    {
      tenantId: string;
      leadId: string;
      botId: bigint | number;
      chatId: bigint | number;
      messageId: bigint | number;
      part: number;
      editAttempts: number;
      queuedForMs: number;
    }[]
  >`
    UPDATE "LeadMessage" SET "editStatus" = 'sending', "editClaimToken" = ${token}, "editLeaseUntil" = ${databaseNow(LEASE_MS)}
    WHERE "id" = ${messageRowId} AND "tenantId" = ${lane.tenantId} AND ${isDue()} AND ${laneFence(lane)}
    RETURNING "tenantId", "leadId", "botId", "chatId", "messageId", "part", "editAttempts", ${millisecondsSince("editQueuedAt")} AS "queuedForMs"`;
  const row = rows[0];
  if (!row) return null;
  return {
    messageRowId,
    token,
    lane,
    tenantId: row.tenantId,
    leadId: row.leadId,
    botId: BigInt(row.botId),
    chatId: BigInt(row.chatId),
    messageId: BigInt(row.messageId),
    part: Number(row.part),
    attempts: Number(row.editAttempts),
    queuedForMs: Number(row.queuedForMs),
  };
}

const stillClaimed = (claim: EditClaim) =>
  Prisma.sql`"id" = ${claim.messageRowId} AND "editClaimToken" = ${claim.token} AND ${laneFence(claim.lane)}`;

/**
 * How an edit ended: the message shows `version` (sent, or Telegram said it already did);
 * a retry after `retryInMs`; failed (may be asked again); gone (never edited again).
 */
export type EditOutcome =
  | { kind: "shown"; version: number }
  | { kind: "retrying"; retryInMs: number; reason: string; code: DeliveryReasonCode }
  | { kind: "failed" | "gone"; reason: string; code: DeliveryReasonCode };

/** Records how the edit ended; false when the claim was taken over meanwhile. */
export async function recordEditOutcome(claim: EditClaim, outcome: EditOutcome): Promise<boolean> {
  const now = databaseNow();
  if (outcome.kind === "shown") {
    const updated = await db().$executeRaw`
      UPDATE "LeadMessage" SET
        "shownVersion" = ${outcome.version},
        "editStatus" = CASE WHEN "wantedVersion" > ${outcome.version} THEN 'pending' ELSE 'idle' END,
        "editNextAttemptAt" = ${now}, "editAttempts" = 0, "editLeaseUntil" = NULL, "editError" = NULL, "editReasonCode" = NULL
      WHERE ${stillClaimed(claim)}`;
    return updated === 1;
  }
  const nextAttemptAt =
    outcome.kind === "retrying" ? databaseNow(outcome.retryInMs) : Prisma.raw(`"editNextAttemptAt"`);
  const updated = await db().$executeRaw`
    UPDATE "LeadMessage" SET
      "editStatus" = ${outcome.kind}, "editAttempts" = "editAttempts" + 1, "editNextAttemptAt" = ${nextAttemptAt},
      "editLeaseUntil" = NULL, "editError" = ${outcome.reason}, "editReasonCode" = ${outcome.code}
    WHERE ${stillClaimed(claim)}`;
  return updated === 1;
}

/**
 * Returns the edit to the queue unsent, due again in `delayMs` (a shutdown; a chat with no
 * send slot soon); not an attempt. False when the claim was taken over.
 */
export async function handBackEdit(claim: EditClaim, delayMs = 0): Promise<boolean> {
  const updated = await db().$executeRaw`
    UPDATE "LeadMessage" SET "editStatus" = 'retrying', "editLeaseUntil" = NULL, "editNextAttemptAt" = ${databaseNow(delayMs)}
    WHERE ${stillClaimed(claim)}`;
  return updated === 1;
}

/** Ends every edit claim (SQLite at start-up, as releaseAllClaims does for deliveries). */
export async function releaseAllEditClaims(): Promise<void> {
  await db().$executeRaw`
    UPDATE "LeadMessage" SET "editStatus" = 'retrying', "editLeaseUntil" = NULL, "editClaimToken" = NULL, "editNextAttemptAt" = ${databaseNow()}
    WHERE "editStatus" = 'sending'`;
}
