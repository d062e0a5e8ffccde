import "server-only";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import type { DeliveryStatus, LeadDetail, LeadList, LeadListQuery } from "@/lib/schemas/leads";
import { noNul } from "@/lib/schemas/text";
import { deliveryThread } from "./delivery/delivery-thread";
import { toLeadDetail, toLeadDto } from "./lead-dto";

/** Opaque cursor: the position after the last lead of a page (newest first). */
function encodeCursor(lead: { createdAt: Date; id: string }): string {
  return Buffer.from(`${lead.createdAt.getTime()}|${lead.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [millis, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(Number(millis));
  if (!id || !noNul(id) || Number.isNaN(createdAt.getTime())) throw new ApiError(400, "Invalid cursor");
  return { createdAt, id };
}

const statusFilter = (status: DeliveryStatus | undefined) => {
  if (!status) return {};
  const statuses = status === "pending" ? ["pending", "sending"] : [status];
  return { deliveries: { some: { status: { in: statuses } } } };
};

/** GET /api/v1/leads: the tenant's leads, newest first, by cursor pages. */
export async function listLeads(tenantId: string, query: LeadListQuery): Promise<LeadList> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db().lead.findMany({
    where: {
      tenantId,
      ...statusFilter(query.status),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(toLeadDto), next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

async function findLead(tenantId: string, leadId: string) {
  const lead = await db().lead.findFirst({
    where: { id: leadId, tenantId },
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: 1, include: { attemptLog: { orderBy: { attemptedAt: "asc" } } } } },
  });
  if (!lead) throw ApiError.notFound("Lead not found");
  return lead;
}

/** GET /api/v1/leads/<id>: one lead with its delivery history. */
export async function getLead(tenantId: string, leadId: string): Promise<LeadDetail> {
  return toLeadDetail(await findLead(tenantId, leadId));
}

/**
 * POST /api/v1/leads/<id>/resend: queues the notification again from its first part. A
 * delivery that a dispatcher is sending right now is left to finish (409).
 */
export async function resendLead(tenantId: string, leadId: string): Promise<LeadDetail> {
  const lead = await findLead(tenantId, leadId);
  const delivery = lead.deliveries[0];
  if (!delivery) throw ApiError.notFound("Lead not found");
  const now = new Date();
  const { count } = await db().delivery.updateMany({
    where: { id: delivery.id, status: { not: "sending" } },
    data: { status: "pending", partsSent: 0, nextAttemptAt: now, lastError: null, leaseUntil: null },
  });
  if (count === 0) throw new ApiError(409, "The notification is being sent right now");
  deliveryThread().wake(tenantId);
  return getLead(tenantId, leadId);
}
