import { ApiClientError } from "@/lib/api/api-client";

type Translate = (key: "genericError" | "sessionExpired" | "forbidden") => string;

/**
 * The sentence to show for a failed request: a caller-specific text for known statuses,
 * the server's own message for 422 (it names the field), else a generic one.
 */
export function apiErrorMessage(error: unknown, t: Translate, byStatus: Partial<Record<number, string>> = {}): string {
  if (!(error instanceof ApiClientError)) return t("genericError");
  const specific = byStatus[error.status];
  if (specific) return specific;
  if (error.status === 422 || error.status === 400) return error.displayMessage;
  if (error.status === 401) return t("sessionExpired");
  if (error.status === 403) return t("forbidden");
  return t("genericError");
}
