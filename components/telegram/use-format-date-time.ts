"use client";
import { useLocale } from "next-intl";

/** Formats an ISO timestamp in the interface's language and the browser's time zone. */
export function useFormatDateTime(): (iso: string, style?: "short" | "time") => string {
  const locale = useLocale();
  return (iso, style = "short") => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(locale, style === "time" ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" }).format(date);
  };
}
