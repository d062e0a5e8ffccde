import { z } from "zod";

/**
 * The stable, machine-readable `code` of every /api/v1 error answer, beside the contract's
 * `detail`. Clients (our UI included) choose what to show from the code, never from the
 * wording of `detail`, so a server sentence can be reworded without breaking them.
 * README ("The API") lists what each one means; add a code there when adding one here.
 */
export const apiErrorCodeSchema = z.enum([
  "bad_request",
  "malformed_path",
  "invalid_idempotency_key",
  "invalid_bot_token",
  "wrong_password",
  "webhook_url_invalid",
  "public_api_url_missing",
  "not_authenticated",
  "invalid_credentials",
  "invalid_webhook_secret",
  "forbidden",
  "cross_site_request",
  "json_required",
  "origin_not_allowed",
  "signup_closed",
  "not_found",
  "method_not_allowed",
  "conflict",
  "email_taken",
  "bot_taken",
  "bot_username_missing",
  "integration_missing",
  "last_owner",
  "delivery_in_progress",
  "payload_too_large",
  "unsupported_media_type",
  "validation_error",
  "rate_limited",
  "internal_error",
  "telegram_unavailable",
]);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/** One entry of a 422's `detail`: FastAPI's shape, `loc` naming where the bad value was. */
export const validationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string(),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

/** Every /api/v1 error body: a sentence, or for `validation_error` the list of issues. */
export const apiErrorSchema = z.object({
  detail: z.union([z.string(), z.array(validationIssueSchema)]),
  code: apiErrorCodeSchema,
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
