"use client";
import { useTranslations } from "next-intl";
import { ApiClientError } from "@/lib/api/api-client";
import type { ApiErrorCode } from "@/lib/schemas/errors";

/** What to show for a failed request: our sentence, plus the server's own words when they add something. */
export type ShownError = { message: string; detail: string | null };

/** Texts a caller puts in place of the general ones: by code, and instead of "something went wrong". */
export type ErrorTexts = Partial<Record<ApiErrorCode, string>> & { fallback?: string };

/**
 * The one way a failed request becomes words: chosen by the answer's `code` (never by the
 * wording of `detail`), with the caller's texts first for the codes it knows better.
 */
export function useDescribeError(): (error: unknown, texts?: ErrorTexts) => ShownError {
  const t = useTranslations("ui.errors");
  return (error, texts = {}) => {
    const generic = texts.fallback ?? t("generic");
    if (!(error instanceof ApiClientError)) return { message: generic, detail: null };
    const detail = error.displayMessage;
    const specific = error.code ? texts[error.code] : undefined;
    if (specific) return { message: specific, detail: null };
    switch (error.code) {
      case "invalid_bot_token":
        return { message: t("invalidToken"), detail };
      case "not_authenticated":
        return { message: t("sessionExpired"), detail: null };
      case "forbidden":
        return { message: t("forbidden"), detail: null };
      case "not_found":
        return { message: t("notFound"), detail };
      case "bot_taken":
        return { message: t("botTaken"), detail };
      case "validation_error":
      case "bad_request":
        return { message: t("invalidInput"), detail };
      case "telegram_unavailable":
        return { message: t("telegramDown"), detail: null };
      case "rate_limited":
        return { message: t("rateLimited"), detail: null };
      default:
        return { message: generic, detail };
    }
  };
}
