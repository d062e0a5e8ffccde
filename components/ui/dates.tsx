"use client";
import { useFormatter, type DateTimeFormatOptions } from "next-intl";

type DateStyle = "day" | "moment" | "precise" | "time";

const STYLES: Record<DateStyle, DateTimeFormatOptions> = {
  day: { dateStyle: "medium" },
  moment: { dateStyle: "medium", timeStyle: "short" },
  precise: { dateStyle: "short", timeStyle: "medium" },
  time: { timeStyle: "short" },
};

/**
 * The one date formatter: an API timestamp in the interface's language and the browser's time
 * zone. `day` for lists of things made on a day, `moment` for events, `precise` (with seconds)
 * where the order of close events matters, `time` for today's events.
 */
export function useFormatDate(): (iso: string, style?: DateStyle) => string {
  const format = useFormatter();
  return (iso, style = "moment") => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.dateTime(date, STYLES[style]);
  };
}

/** A timestamp as a `<time>` element, so the machine-readable value stays beside the words. */
export function LocalTime({ iso, style = "moment" }: { iso: string; style?: DateStyle }) {
  const formatDate = useFormatDate();
  return <time dateTime={iso}>{formatDate(iso, style)}</time>;
}
