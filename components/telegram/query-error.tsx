"use client";
import { useTranslations } from "next-intl";
import { ui } from "./ui";

/** A query that failed: what could not be loaded, and a way to ask again. */
export function QueryError({ message, onRetry, retrying = false }: { message: string; onRetry: () => void; retrying?: boolean }) {
  const t = useTranslations("telegram");
  return (
    <div role="alert" className={`${ui.error} flex flex-wrap items-center justify-between gap-2`}>
      <p>{message}</p>
      <button type="button" onClick={onRetry} disabled={retrying} className={ui.secondaryButton}>
        {retrying ? t("loading") : t("retry")}
      </button>
    </div>
  );
}
