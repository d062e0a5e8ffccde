import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { LeadFields } from "@/lib/schemas/leads";
import { leadColumns } from "./lead-fields";

let lastStamp = 0;
/**
 * A creation time that never repeats or goes back within this process, so two leads
 * stored in the same millisecond still have an order for the delivery queue to keep.
 */
function monotonicNow(): Date {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp);
}

/**
 * The transactional outbox: the lead and its delivery record are committed together, so
 * once the submitter hears 201 the notification will be attempted even if the server
 * stops right after answering.
 */
export async function storeLead(tenantId: string, fields: LeadFields, source: { clientIp: string; userAgent: string | null }): Promise<string> {
  const leadId = randomUUID();
  const createdAt = monotonicNow();
  await db().$transaction([
    db().lead.create({ data: { id: leadId, tenantId, ...leadColumns(fields), clientIp: source.clientIp, userAgent: source.userAgent, createdAt } }),
    db().delivery.create({ data: { tenantId, leadId, createdAt, nextAttemptAt: createdAt } }),
  ]);
  return leadId;
}
