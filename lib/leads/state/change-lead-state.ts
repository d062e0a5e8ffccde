import "server-only";
import { db } from "@/lib/db/client";
import type { Lead } from "@/lib/db/generated/sqlite/client";
import { leadStateSchema, type LeadState } from "@/lib/schemas/leads";
import { actorSnapshot, holds, type ActorSnapshot, type StateActor, type Tx } from "./lead-actor";

/** A change that was made, as the hook after it sees it (inside the change's transaction). */
export type AppliedStateChange = { lead: Lead; from: LeadState; actor: ActorSnapshot };

export type LeadStateChangeRequest = {
  tenantId: string;
  leadId: string;
  to: LeadState;
  actor: StateActor;
  /**
   * Change only if the lead is still in this state: a button pressed on a message that
   * showed this state. Otherwise the current lead comes back with `state_changed`.
   */
  expectedFrom?: LeadState;
  /**
   * Runs in the change's transaction after it is written, so what it queues (the edits of
   * the lead's Telegram messages) commits with the change or not at all.
   */
  onChanged?: (tx: Tx, change: AppliedStateChange) => Promise<void>;
};

export type LeadStateChangeResult =
  | { changed: true; lead: Lead; from: LeadState }
  | {
      changed: false;
      /**
       * unchanged: the lead is already in that state (and, for a take from Telegram, held by
       * this actor). already_taken: a take from Telegram while someone else holds the lead.
       * state_changed: the lead is no longer in `expectedFrom`. `lead` is the lead as it is.
       */
      reason: "unchanged" | "already_taken" | "state_changed";
      lead: Lead;
    }
  | { changed: false; reason: "not_found" };

/** Why the change is not made on the lead as it is now, or null to make it. */
function refusal(lead: Lead, request: LeadStateChangeRequest, actor: ActorSnapshot) {
  if (lead.state === request.to) {
    // The web sets a state as the user chose it; a press of «Беру» must not take a lead from its holder.
    if (request.to === "in_progress" && actor.source === "telegram" && !holds(lead, actor)) return "already_taken";
    return "unchanged";
  }
  if (request.expectedFrom !== undefined && lead.state !== request.expectedFrom) return "state_changed";
  return null;
}

/**
 * Who holds the lead after it goes to `to`: the actor who takes it (in_progress); the
 * holder stays while it is done; nobody once it is new again or spam (nobody works spam,
 * and a lead rescued from spam starts over as new).
 */
function holderAfter(to: LeadState, actor: ActorSnapshot, at: Date) {
  if (to === "done") return {};
  const taking = to === "in_progress";
  return {
    takenByUserId: taking ? actor.userId : null,
    takenByTelegramUserId: taking ? actor.telegramUserId : null,
    takenByTelegramUsername: taking ? actor.telegramUsername : null,
    takenByName: taking ? actor.name : null,
    takenAt: taking ? at : null,
  };
}

/**
 * The one place a lead's state changes: the lead and its history row in one transaction.
 *
 * Race-free by compare-and-set: the lead is read, the decision is made on what it is, and
 * the write lands only if the lead's state version is still the one read; otherwise the
 * lead is read again and the decision made again. So of two simultaneous takes the first
 * wins and the second learns who holds the lead, and the history's order (by version) is
 * the order the changes landed in. The read stays outside the transaction, which starts
 * with its compare-and-set write: the write lock (SQLite's is the whole file's) is held
 * only as long as the change itself takes.
 */
export async function changeLeadState(request: LeadStateChangeRequest): Promise<LeadStateChangeResult> {
  const actor = await actorSnapshot(request.actor);
  for (;;) {
    const current = await db().lead.findFirst({ where: { id: request.leadId, tenantId: request.tenantId } });
    if (!current) return { changed: false, reason: "not_found" };
    const reason = refusal(current, request, actor);
    if (reason) return { changed: false, reason, lead: current };
    const applied = await db().$transaction((tx) => applyChange(tx, current, request, actor));
    if (applied) return { changed: true, ...applied };
    // Another change landed first: decide again on the lead as it is now.
  }
}

/**
 * The same change inside a transaction the caller holds, so it commits with the caller's
 * other writes: a press of a button commits with its Telegram update (each update once).
 * The transaction must have written already (processUpdate records the update_id first):
 * on SQLite it then holds the write lock, so its reads are current and nobody writes
 * between them and the change; on PostgreSQL the compare-and-set waits for a change in
 * flight, and the read after it sees that change committed.
 */
export async function changeLeadStateWithin(tx: Tx, request: LeadStateChangeRequest): Promise<LeadStateChangeResult> {
  const actor = await actorSnapshot(request.actor, tx);
  for (;;) {
    const current = await tx.lead.findFirst({ where: { id: request.leadId, tenantId: request.tenantId } });
    if (!current) return { changed: false, reason: "not_found" };
    const reason = refusal(current, request, actor);
    if (reason) return { changed: false, reason, lead: current };
    const applied = await applyChange(tx, current, request, actor);
    if (applied) return { changed: true, ...applied };
  }
}

/** Writes the change unless the lead's state version moved since `current` was read (null). */
async function applyChange(tx: Tx, current: Lead, request: LeadStateChangeRequest, actor: ActorSnapshot) {
  const at = new Date();
  const data = { state: request.to, stateVersion: current.stateVersion + 1, ...holderAfter(request.to, actor, at) };
  const { count } = await tx.lead.updateMany({ where: { id: current.id, stateVersion: current.stateVersion }, data });
  if (count === 0) return null;
  await tx.leadStateChange.create({
    data: {
      tenantId: current.tenantId,
      leadId: current.id,
      version: data.stateVersion,
      state: request.to,
      source: actor.source,
      actorUserId: actor.userId,
      actorTelegramUserId: actor.telegramUserId,
      actorTelegramUsername: actor.telegramUsername,
      actorName: actor.name,
      at,
    },
  });
  const lead: Lead = { ...current, ...data };
  const from = leadStateSchema.parse(current.state);
  await request.onChanged?.(tx, { lead, from, actor });
  return { lead, from };
}
