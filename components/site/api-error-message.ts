import { ApiClientError } from "@/lib/api/api-client";
import type { ApiErrorCode } from "@/lib/schemas/errors";

type Translate = (key: "genericError" | "sessionExpired" | "forbidden") => string;

/**
 * The sentence to show for a failed request, chosen by the answer's `code`: a caller-specific
 * text for the codes it knows, the server's own message for a 422 (it names the field) or a
 * malformed request, else a generic one.
 */
export function apiErrorMessage(error: unknown, t: Translate, byCode: Partial<Record<ApiErrorCode, string>> = {}): string {
  if (!(error instanceof ApiClientError)) return t("genericError");
  const specific = error.code && byCode[error.code];
  if (specific) return specific;
  if (error.code === "validation_error" || error.code === "bad_request") return error.displayMessage;
  if (error.code === "not_authenticated") return t("sessionExpired");
  if (error.code === "forbidden") return t("forbidden");
  return t("genericError");
}
