import { z } from "zod";
import { RequestValidationError } from "@/lib/http/validation-error";
import { KNOWN_LEAD_FIELDS, type KnownLeadField, type LeadFields } from "@/lib/schemas/leads";
import { cleanText } from "@/lib/schemas/text";

/** Form fields that steer the submission and are never stored. */
export const CONTROL_FIELDS = { honeypot: "_gotcha", redirect: "_redirect" } as const;

const emailSchema = z.email({ message: "value is not a valid email address" });
const isKnownField = (name: string): name is KnownLeadField => (KNOWN_LEAD_FIELDS as readonly string[]).includes(name);

/**
 * Splits a submission into the contract's known fields (trimmed; empty means absent) and
 * extra fields (kept as sent, in order), and checks what a lead needs: a valid email if
 * one is given, and at least one way to answer it. Names and values are cleaned (cleanText:
 * NUL dropped, lone surrogates replaced), never a reason to lose a lead.
 */
export function normaliseLead(fields: Map<string, string>): LeadFields {
  const lead: LeadFields = { extra: {} };
  for (const [name, raw] of [...fields].map(([key, value]) => [cleanText(key), cleanText(value)] as const)) {
    if (name === CONTROL_FIELDS.honeypot || name === CONTROL_FIELDS.redirect) continue;
    if (isKnownField(name)) {
      const value = raw.trim();
      if (value !== "") lead[name] = value;
    } else if (raw.trim() !== "") {
      lead.extra[name] = raw;
    }
  }
  if (lead.email !== undefined && !emailSchema.safeParse(lead.email).success) {
    throw new RequestValidationError([
      { loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" },
    ]);
  }
  if (!lead.name && !lead.email && !lead.phone && !lead.message) {
    throw new RequestValidationError([
      { loc: ["body"], msg: "Provide at least one of name, email, phone or message", type: "value_error" },
    ]);
  }
  return lead;
}
