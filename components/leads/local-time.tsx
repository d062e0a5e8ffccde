"use client";
import { useLocale } from "next-intl";

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "short" };
const FORMAT_SECONDS: Intl.DateTimeFormatOptions = { dateStyle: "short", timeStyle: "medium" };

/** An API timestamp in the reader's locale and time zone (rendered only in the browser's data). */
export function LocalTime({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  const locale = useLocale();
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale, seconds ? FORMAT_SECONDS : FORMAT).format(date);
  return <time dateTime={iso}>{text}</time>;
}
