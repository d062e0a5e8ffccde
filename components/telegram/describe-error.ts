"use client";
import { useTranslations } from "next-intl";
import { ApiClientError } from "@/lib/api/api-client";

/** What to show for a failed request: our sentence, plus the server's own words when they add something. */
export type ShownError = { message: string; detail: string | null };

const INVALID_TOKEN_PREFIX = "Invalid Telegram bot token";

/** Maps an API failure to a localized explanation; `fallback` replaces the generic sentence. */
export function useDescribeError(): (error: unknown, fallback?: string) => ShownError {
  const t = useTranslations("telegram.errors");
  return (error, fallback) => {
    const generic = fallback ?? t("generic");
    if (!(error instanceof ApiClientError)) return { message: generic, detail: null };
    const detail = error.displayMessage;
    if (error.status === 400 && detail.startsWith(INVALID_TOKEN_PREFIX)) return { message: t("invalidToken"), detail };
    if (error.status === 401) return { message: t("sessionExpired"), detail: null };
    if (error.status === 403) return { message: t("forbidden"), detail: null };
    if (error.status === 404) return { message: t("notFound"), detail };
    if (error.status === 409 && detail.includes("another site")) return { message: t("botTaken"), detail };
    if (error.status === 422) return { message: t("invalidInput"), detail };
    if (error.status === 502 || error.status === 503 || error.status === 504) return { message: t("telegramDown"), detail: null };
    return { message: generic, detail };
  };
}
