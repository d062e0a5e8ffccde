import "server-only";
import type { Delivery, DeliveryAttempt, Lead, LeadStateChange } from "@/lib/db/generated/sqlite/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import {
  deliveryReasonCodeSchema,
  KNOWN_LEAD_FIELDS,
  leadStateSchema,
  leadStateSourceSchema,
  type DeliveryDto,
  type LeadDetail,
  type LeadDto,
} from "@/lib/schemas/leads";
import { publicStatus } from "./delivery/delivery-writes";
import { leadFields } from "./lead-fields";
import { changedByDto, takenByDto } from "./state/lead-actor";

/** Null for rows that migration 0008 could not classify, and for a code this version does not know. */
const reasonCode = (code: string | null) => deliveryReasonCodeSchema.nullable().catch(null).parse(code);

export function toDeliveryDto(delivery: Delivery | undefined): DeliveryDto {
  if (!delivery)
    return { status: publicStatus("pending"), attempts: 0, last_error: null, reason_code: null, sent_at: null };
  return {
    status: publicStatus(delivery.status),
    attempts: delivery.attempts,
    last_error: delivery.lastError,
    reason_code: reasonCode(delivery.reasonCode),
    sent_at: delivery.sentAt ? isoTimestamp(delivery.sentAt) : null,
  };
}

export function toLeadDto(lead: Lead & { deliveries: Delivery[] }): LeadDto {
  const fields = leadFields(lead);
  const known = Object.fromEntries(KNOWN_LEAD_FIELDS.map((name) => [name, fields[name] ?? null])) as Record<
    (typeof KNOWN_LEAD_FIELDS)[number],
    string | null
  >;
  return {
    id: lead.id,
    ...known,
    extra: fields.extra,
    created_at: isoTimestamp(lead.createdAt),
    delivery: toDeliveryDto(lead.deliveries[0]),
    refused_redirect: lead.refusedRedirect,
    state: leadStateSchema.parse(lead.state),
    taken_by: takenByDto(lead),
  };
}

/** `stateChanges` oldest first. */
export function toLeadDetail(
  lead: Lead & { deliveries: (Delivery & { attemptLog: DeliveryAttempt[] })[]; stateChanges: LeadStateChange[] },
): LeadDetail {
  return {
    ...toLeadDto(lead),
    delivery_history: (lead.deliveries[0]?.attemptLog ?? []).map((attempt) => ({
      at: isoTimestamp(attempt.attemptedAt),
      outcome: attempt.outcome,
      error_code: attempt.errorCode,
      description: attempt.description,
      code: reasonCode(attempt.reasonCode),
    })),
    state_history: lead.stateChanges.map((change) => ({
      state: leadStateSchema.parse(change.state),
      by: changedByDto(change),
      source: leadStateSourceSchema.parse(change.source),
      at: isoTimestamp(change.at),
    })),
  };
}
