import { z } from "zod";

/** The form fields the contract names; any other field of a submission is kept in `extra`. */
export const KNOWN_LEAD_FIELDS = [
  "name",
  "email",
  "phone",
  "company",
  "message",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "page",
  "device",
  "referrer",
] as const;
export type KnownLeadField = (typeof KNOWN_LEAD_FIELDS)[number];

export const DELIVERY_STATUSES = ["pending", "sent", "retrying", "failed", "skipped"] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/**
 * Why a delivery ended as it did, beside Telegram's own description: the inbox and the
 * warnings choose their text from the code, never from Telegram's English wording.
 * Telegram's failures are classified in one place (lib/telegram/telegram-failure-reason.ts).
 */
export const DELIVERY_REASON_CODES = [
  "bot_blocked",
  "chat_not_found",
  "token_revoked",
  "kicked",
  "user_deactivated",
  /** The owner's group became a supergroup: the next attempt goes to the new chat. */
  "chat_migrated",
  "no_integration",
  "no_chat",
  "telegram_unavailable",
  "gave_up",
  "token_unreadable",
  "rate_limited",
  "telegram_error",
] as const;
export const deliveryReasonCodeSchema = z.enum(DELIVERY_REASON_CODES);
export type DeliveryReasonCode = z.infer<typeof deliveryReasonCodeSchema>;

/**
 * Where a lead is in the team's work: `new` → `in_progress` (someone took it) → `done`, or
 * `spam`; any state may go to any other, and back to `new`.
 */
export const LEAD_STATES = ["new", "in_progress", "done", "spam"] as const;
export const leadStateSchema = z.enum(LEAD_STATES);
export type LeadState = z.infer<typeof leadStateSchema>;

/** Where a change of state was made. */
export const leadStateSourceSchema = z.enum(["telegram", "web"]);
export type LeadStateSource = z.infer<typeof leadStateSourceSchema>;

/** Who took a lead or changed its state: a site member, a Telegram user, or a member's linked Telegram account. */
export const leadActorSchema = z.object({
  name: z.string(),
  telegram_user_id: z.number().nullable(),
  telegram_username: z.string().nullable(),
  user_id: z.string().nullable(),
});
export type LeadActor = z.infer<typeof leadActorSchema>;

export const leadStateChangeSchema = z.object({
  state: leadStateSchema,
  by: leadActorSchema,
  source: leadStateSourceSchema,
  at: z.string(),
});
export type LeadStateChangeDto = z.infer<typeof leadStateChangeSchema>;

export const leadStatePatchSchema = z.object({ state: leadStateSchema });

/** The devices Leadgram tells apart from a User-Agent; a form may send any other value. */
export const DEVICE_KINDS = ["desktop", "mobile", "tablet"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A submission's `Idempotency-Key` header: 1 to 255 printable ASCII characters, as Stripe
 * and the IETF draft allow (a UUID fits; the draft's quoted form is taken as it is sent).
 */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]*$/);

/** A lead's fields as the notification formatter and the API see them. */
export type LeadFields = Partial<Record<KnownLeadField, string>> & { extra: Record<string, string> };

export const deliverySchema = z.object({
  status: deliveryStatusSchema,
  attempts: z.number(),
  last_error: z.string().nullable(),
  reason_code: deliveryReasonCodeSchema.nullable(),
  sent_at: z.string().nullable(),
});
export type DeliveryDto = z.infer<typeof deliverySchema>;

const nullableText = z.string().nullable();
export const leadSchema = z.object({
  id: z.string(),
  name: nullableText,
  email: nullableText,
  phone: nullableText,
  company: nullableText,
  message: nullableText,
  utm_source: nullableText,
  utm_medium: nullableText,
  utm_campaign: nullableText,
  utm_term: nullableText,
  utm_content: nullableText,
  page: nullableText,
  device: nullableText,
  referrer: nullableText,
  extra: z.record(z.string(), z.string()),
  created_at: z.string(),
  delivery: deliverySchema,
  /** The form's `_redirect` that was not allowed: the visitor saw Leadgram's thank-you page instead. */
  refused_redirect: nullableText,
  state: leadStateSchema,
  /** Who moved the lead to in_progress; kept while it is done, cleared when it goes back to new or to spam. */
  taken_by: leadActorSchema.nullable(),
});
export type LeadDto = z.infer<typeof leadSchema>;

export const deliveryAttemptSchema = z.object({
  at: z.string(),
  outcome: z.string(),
  error_code: z.number().nullable(),
  description: z.string().nullable(),
  code: deliveryReasonCodeSchema.nullable(),
});
export const leadDetailSchema = leadSchema.extend({
  delivery_history: z.array(deliveryAttemptSchema),
  /** Oldest first. */
  state_history: z.array(leadStateChangeSchema),
});
export type LeadDetail = z.infer<typeof leadDetailSchema>;

export const leadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  status: deliveryStatusSchema.optional(),
  state: leadStateSchema.optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuerySchema>;

export const leadListSchema = z.object({ items: z.array(leadSchema), next_cursor: z.string().nullable() });
export type LeadList = z.infer<typeof leadListSchema>;

/** The dashboard's figures about the team's work on leads. */
export const leadFiguresSchema = z.object({
  /** Leads new or in progress. */
  open_leads: z.number(),
  /**
   * Median minutes, over the leads first taken in the last 30 days, from their notification
   * first reaching Telegram to their first change to in_progress; null when there are none.
   */
  median_minutes_to_take: z.number().nullable(),
});
export type LeadFigures = z.infer<typeof leadFiguresSchema>;

/** How long a refused `_redirect` keeps the owner's notice up (unless its origin is allowed first). */
export const REFUSED_REDIRECT_NOTICE_DAYS = 30;

/** One redirect target that forms asked for and were refused, newest first. */
export const refusedRedirectSchema = z.object({
  target: z.string(),
  /** null when the target is not an absolute http(s) URL at all: no origin to allow. */
  origin: z.string().nullable(),
  leads: z.number(),
  last_at: z.string(),
});
export type RefusedRedirect = z.infer<typeof refusedRedirectSchema>;
export const refusedRedirectListSchema = z.object({ items: z.array(refusedRedirectSchema) });
export type RefusedRedirectList = z.infer<typeof refusedRedirectListSchema>;

export const leadSubmissionResponseSchema = z.object({ id: z.string(), status: z.literal("received") });
