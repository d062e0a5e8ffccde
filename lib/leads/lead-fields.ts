import "server-only";
import { z } from "zod";
import type { Lead } from "@/lib/db/generated/sqlite/client";
import type { LeadFields } from "@/lib/schemas/leads";

const extraSchema = z.record(z.string(), z.string());

/** A stored lead in the contract's field names (utm_source, not utmSource). */
export function leadFields(lead: Lead): LeadFields {
  const fields: LeadFields = { extra: extraSchema.parse(JSON.parse(lead.extra)) };
  const columns = {
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    message: lead.message,
    utm_source: lead.utmSource,
    utm_medium: lead.utmMedium,
    utm_campaign: lead.utmCampaign,
    utm_term: lead.utmTerm,
    utm_content: lead.utmContent,
    page: lead.page,
    device: lead.device,
    referrer: lead.referrer,
  };
  for (const [name, value] of Object.entries(columns) as [keyof typeof columns, string | null][]) {
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/** The inverse, for storing: contract names to columns. */
export function leadColumns(fields: LeadFields) {
  return {
    name: fields.name ?? null,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    company: fields.company ?? null,
    message: fields.message ?? null,
    utmSource: fields.utm_source ?? null,
    utmMedium: fields.utm_medium ?? null,
    utmCampaign: fields.utm_campaign ?? null,
    utmTerm: fields.utm_term ?? null,
    utmContent: fields.utm_content ?? null,
    page: fields.page ?? null,
    device: fields.device ?? null,
    referrer: fields.referrer ?? null,
    extra: JSON.stringify(fields.extra),
  };
}
