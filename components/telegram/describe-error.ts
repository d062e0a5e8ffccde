"use client";
import { useTranslations } from "next-intl";
import { ApiClientError } from "@/lib/api/api-client";

/** What to show for a failed request: our sentence, plus the server's own words when they add something. */
export type ShownError = { message: string; detail: string | null };

/** Maps an API failure to a localized explanation by its `code`; `fallback` replaces the generic sentence. */
export function useDescribeError(): (error: unknown, fallback?: string) => ShownError {
  const t = useTranslations("telegram.errors");
  return (error, fallback) => {
    const generic = fallback ?? t("generic");
    if (!(error instanceof ApiClientError)) return { message: generic, detail: null };
    const detail = error.displayMessage;
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
        return { message: t("invalidInput"), detail };
      case "telegram_unavailable":
        return { message: t("telegramDown"), detail: null };
      default:
        return { message: generic, detail };
    }
  };
}
