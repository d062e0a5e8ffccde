import "server-only";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import { ApiError } from "@/lib/http/api-error";
import { idempotencyKeySchema, type LeadFields } from "@/lib/schemas/leads";
import { storeLead, type LeadSource } from "../store-lead";

/**
 * Idempotent submissions: a form's script that retries after a network error sends the
 * same `Idempotency-Key` again, and the same key for the same site within 24 hours is
 * answered with the lead the first request stored; nothing new is stored or notified.
 *
 * The key is a column of the lead under a unique (tenantId, idempotencyKey) index rather
 * than a table of its own: it is committed by the very insert that stores its lead, so the
 * check and the insert are one atomic step on both databases, and no key outlives its lead
 * or needs pruning. The index knows nothing of time, so the 24 hours are kept here: a key
 * sent again after its lead's window is moved aside (that lead keeps no key) and the new
 * lead takes it.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60_000;

/** Retries of a refused insert: after one, the key is either taken by a lead in its window or free. */
const MAX_STORE_ATTEMPTS = 3;

/** The request's key, or null without one; a key that breaks the rules is refused. */
export function idempotencyKeyOf(req: Request): string | null {
  const header = req.headers.get("idempotency-key");
  if (header === null) return null;
  if (!idempotencyKeySchema.safeParse(header).success)
    throw new ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
  return header;
}

/**
 * The id of the site's lead stored under `key` within the window, or null. A lead past the
 * window gives the key up, by compare-and-set, so retries racing here agree it is free.
 */
export async function leadStoredUnder(tenantId: string, key: string): Promise<string | null> {
  const earlier = await db().lead.findFirst({
    where: { tenantId, idempotencyKey: key },
    select: { id: true, createdAt: true },
  });
  if (!earlier) return null;
  // createdAt is the storing server's clock: seconds of skew between servers are nothing to 24 hours.
  if (Date.now() - earlier.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) return earlier.id;
  await db().lead.updateMany({ where: { id: earlier.id, idempotencyKey: key }, data: { idempotencyKey: null } });
  return null;
}

export type StoredOnce = { leadId: string; isNew: boolean };

/**
 * Stores the lead under its key unless the key already has one: when a simultaneous request
 * with the same key committed first, the unique index refuses this insert and the winner's
 * lead (committed by then on both databases) is the answer.
 */
export async function storeLeadOnce(tenantId: string, fields: LeadFields, source: LeadSource): Promise<StoredOnce> {
  const key = source.idempotencyKey;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { leadId: await storeLead(tenantId, fields, source), isNew: true };
    } catch (error) {
      if (key === null || !isUniqueViolation(error) || attempt === MAX_STORE_ATTEMPTS) throw error;
      const winner = await leadStoredUnder(tenantId, key);
      if (winner) return { leadId: winner, isNew: false };
    }
  }
}
