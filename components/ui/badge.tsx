import type { ReactNode } from "react";

export type BadgeTone = "slate" | "grey" | "green" | "amber" | "red" | "blue";

const TONES: Record<BadgeTone, { badge: string; dot: string }> = {
  slate: { badge: "bg-slate-100 text-slate-800 ring-slate-300", dot: "bg-slate-500" },
  grey: { badge: "bg-slate-50 text-slate-700 ring-slate-300", dot: "bg-slate-400" },
  green: { badge: "bg-green-50 text-green-800 ring-green-300", dot: "bg-green-600" },
  amber: { badge: "bg-amber-50 text-amber-900 ring-amber-300", dot: "bg-amber-500" },
  red: { badge: "bg-red-50 text-red-800 ring-red-300", dot: "bg-red-600" },
  blue: { badge: "bg-blue-50 text-blue-800 ring-blue-300", dot: "bg-blue-600" },
};

/** A short label with a colour cue; the words alone carry the meaning. */
export function Badge({
  tone,
  children,
  ...data
}: { tone: BadgeTone; children: ReactNode } & Record<`data-${string}`, string>) {
  const style = TONES[tone];
  return (
    <span
      {...data}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
      {children}
    </span>
  );
}
