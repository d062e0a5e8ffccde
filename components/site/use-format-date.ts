"use client";
import { useFormatter } from "next-intl";

/** Dates of the settings lists in the reader's locale: day, or day and time. */
export function useFormatDate() {
  const format = useFormatter();
  return {
    day: (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium" }),
    moment: (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }),
  };
}
