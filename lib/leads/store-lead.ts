import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import type { LeadFields } from "@/lib/schemas/leads";
import { createDeliveries } from "./delivery/delivery-writes";
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
 * Where a lead came from; `refusedRedirect` is the form's `_redirect` that was not allowed,
 * `idempotencyKey` its `Idempotency-Key` (lib/leads/intake/idempotent-submission.ts).
 */
export type LeadSource = {
  clientIp: string;
  userAgent: string | null;
  refusedRedirect: string | null;
  idempotencyKey: string | null;
};
type WaitingLead = {
  id: string;
  tenantId: string;
  fields: LeadFields;
  source: LeadSource;
  createdAt: Date;
  stored: () => void;
  failed: (error: unknown) => void;
};

/** Enough to take a burst in a few commits; small enough that one commit stays short. */
const MAX_LEADS_PER_COMMIT = 64;
let waiting: WaitingLead[] = [];
let committing = false;

function commitTogether(leads: WaitingLead[]) {
  return db().$transaction([
    db().lead.createMany({
      data: leads.map((lead) => ({
        id: lead.id,
        tenantId: lead.tenantId,
        ...leadColumns(lead.fields),
        clientIp: lead.source.clientIp,
        userAgent: lead.source.userAgent,
        refusedRedirect: lead.source.refusedRedirect,
        idempotencyKey: lead.source.idempotencyKey,
        createdAt: lead.createdAt,
      })),
    }),
    createDeliveries(leads),
  ]);
}

async function commitBatch(batch: WaitingLead[]): Promise<void> {
  try {
    await commitTogether(batch);
    for (const lead of batch) lead.stored();
  } catch (error) {
    if (batch.length === 1) {
      batch[0]?.failed(error);
      return;
    }
    // One lead must not fail the others that happened to share its commit.
    for (const lead of batch) await commitBatch([lead]);
  }
}

async function commitWaiting(): Promise<void> {
  committing = true;
  try {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_LEADS_PER_COMMIT);
      waiting = waiting.slice(batch.length);
      await commitBatch(batch);
    }
  } finally {
    committing = false;
  }
}

/**
 * The transactional outbox: the lead and its delivery record are committed together, so
 * once the submitter hears 201 the notification will be attempted even if the server
 * stops right after answering.
 *
 * Group commit: the submissions that arrive while the previous commit is being made (or in
 * the same turn of the event loop) share the next transaction. Each still resolves only
 * after its own rows are durably committed, but a burst pays for one disk sync per batch
 * instead of one per lead.
 */
export function storeLead(tenantId: string, fields: LeadFields, source: LeadSource): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    waiting.push({
      id,
      tenantId,
      fields,
      source,
      createdAt: monotonicNow(),
      stored: () => resolve(id),
      failed: reject,
    });
    // setImmediate lets the other requests already read in this turn join the batch.
    if (!committing && waiting.length === 1) setImmediate(() => void commitWaiting());
  });
}
