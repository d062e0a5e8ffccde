import "server-only";
import { db } from "@/lib/db/client";
import type { Delivery, Lead } from "@/lib/db/generated/sqlite/client";
import { ApiError } from "@/lib/http/api-error";
import type { LeadDetail, LeadList, LeadListQuery, LeadState } from "@/lib/schemas/leads";
import { noNul } from "@/lib/schemas/text";
import { requeueDelivery, statesShownAs, type DeliveryState } from "./delivery/delivery-writes";
import { editMessagesAfterChange } from "./delivery/edit-writes";
import { wakeDeliveryLane } from "./delivery/wake-lane";
import { toLeadDetail, toLeadDto } from "./lead-dto";
import { changeLeadState } from "./state/change-lead-state";

/** A place in the newest-first order of a tenant's leads. */
export type Position = { createdAt: Date; id: string };
type LeadWithDelivery = Lead & { deliveries: Delivery[] };
type PositionedLead = { lead: LeadWithDelivery; position: Position };

/** Opaque cursor: the position after the last lead of a page (newest first). */
function encodeCursor(position: Position): string {
  return Buffer.from(`${position.createdAt.getTime()}|${position.id}`).toString("base64url");
}

function decodeCursor(cursor: string): Position {
  const [millis, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(Number(millis));
  if (!id || !noNul(id) || Number.isNaN(createdAt.getTime())) throw new ApiError(400, "bad_request", "Invalid cursor");
  return { createdAt, id };
}

/**
 * Rows after `position` in (createdAt desc, id desc) order. The `lte` bound is implied by
 * the OR, but it is what lets the planner start its index range at the cursor instead of
 * reading every newer row first (on SQLite, a page 90% of the way down a million leads
 * took 120 ms without it, 0.1 ms with it).
 */
function olderThan<T extends object>(position: Position | null, sameTimeOlder: (id: string) => T) {
  if (!position) return {};
  return {
    createdAt: { lte: position.createdAt },
    OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, ...sameTimeOlder(position.id) }],
  };
}

/**
 * The tenant's leads after `after`, newest first, each with its latest delivery, only those
 * in `state` when given (index: Lead (tenantId, createdAt, id), or (tenantId, state, createdAt, id)).
 */
export async function leadsPage(
  tenantId: string,
  after: Position | null,
  take: number,
  state?: LeadState,
): Promise<PositionedLead[]> {
  const leads = await db().lead.findMany({
    where: { tenantId, state, ...olderThan(after, (id) => ({ id: { lt: id } })) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  return leads.map((lead) => ({ lead, position: lead }));
}

const newestFirst = (a: Position, b: Position) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The same, only leads whose delivery has one of `statuses`: read from Delivery by its
 * (tenantId, status, createdAt, leadId) index, one ordered range per status, merged. This
 * holds because a lead has one delivery, created with the lead's createdAt, whose status a
 * resend resets; a filter on the lead would scan every lead when few match. With a lead
 * `state` too, the state is checked on each delivery's lead along that range.
 */
async function leadsByDeliveryStatus(
  tenantId: string,
  statuses: DeliveryState[],
  after: Position | null,
  take: number,
  state?: LeadState,
): Promise<PositionedLead[]> {
  const perStatus = await Promise.all(
    statuses.map((status) =>
      db().delivery.findMany({
        where: {
          tenantId,
          status,
          ...(state ? { lead: { state } } : {}),
          ...olderThan(after, (id) => ({ leadId: { lt: id } })),
        },
        orderBy: [{ createdAt: "desc" }, { leadId: "desc" }],
        take,
        include: { lead: true },
      }),
    ),
  );
  return perStatus
    .flat()
    .map(({ lead, ...delivery }) => ({
      lead: { ...lead, deliveries: [delivery] },
      position: { createdAt: delivery.createdAt, id: delivery.leadId },
    }))
    .sort((a, b) => newestFirst(a.position, b.position))
    .slice(0, take);
}

/** GET /api/v1/leads: the tenant's leads, newest first, by cursor pages. */
export async function listLeads(tenantId: string, query: LeadListQuery): Promise<LeadList> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const take = query.limit + 1;
  const rows = query.status
    ? await leadsByDeliveryStatus(tenantId, statesShownAs(query.status), after, take, query.state)
    : await leadsPage(tenantId, after, take, query.state);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toLeadDto(row.lead)),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.position) : null,
  };
}

async function findLead(tenantId: string, leadId: string) {
  const lead = await db().lead.findFirst({
    where: { id: leadId, tenantId },
    include: {
      deliveries: {
        orderBy: { createdAt: "desc" },
        take: 1,
        include: { attemptLog: { orderBy: { attemptedAt: "asc" } } },
      },
      stateChanges: { orderBy: { version: "asc" } },
    },
  });
  if (!lead) throw ApiError.notFound("Lead not found");
  return lead;
}

/** GET /api/v1/leads/<id>: one lead with its delivery history and its history of states. */
export async function getLead(tenantId: string, leadId: string): Promise<LeadDetail> {
  return toLeadDetail(await findLead(tenantId, leadId));
}

/**
 * POST /api/v1/leads/<id>/resend: queues the notification again from its first part, with
 * a new 24-hour retry window. A delivery that a dispatcher is sending right now is left to
 * finish (409).
 */
export async function resendLead(tenantId: string, leadId: string): Promise<LeadDetail> {
  const lead = await findLead(tenantId, leadId);
  const delivery = lead.deliveries[0];
  if (!delivery) throw ApiError.notFound("Lead not found");
  if (!(await requeueDelivery(delivery.id)))
    throw new ApiError(409, "delivery_in_progress", "The notification is being sent right now");
  wakeDeliveryLane(tenantId);
  return getLead(tenantId, leadId);
}

/**
 * PATCH /api/v1/leads/<id>: the state the member chose, whatever it is now (a change to the
 * state it already has changes nothing and writes no history). A change edits the lead's
 * Telegram messages, through the outbox.
 */
export async function setLeadState(tenantId: string, leadId: string, userId: string, to: LeadState) {
  const result = await changeLeadState({
    tenantId,
    leadId,
    to,
    actor: { source: "web", userId },
    onChanged: editMessagesAfterChange,
  });
  if (!result.changed && result.reason === "not_found") throw ApiError.notFound("Lead not found");
  if (result.changed) wakeDeliveryLane(tenantId);
  return getLead(tenantId, leadId);
}
