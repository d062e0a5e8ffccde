"use client";
import { useTranslations } from "next-intl";
import type { DeliveryStatus } from "@/lib/schemas/leads";

const STYLES: Record<DeliveryStatus, { badge: string; dot: string }> = {
  pending: { badge: "bg-slate-100 text-slate-800 ring-slate-300", dot: "bg-slate-500" },
  sent: { badge: "bg-green-50 text-green-800 ring-green-300", dot: "bg-green-600" },
  retrying: { badge: "bg-amber-50 text-amber-900 ring-amber-300", dot: "bg-amber-500" },
  failed: { badge: "bg-red-50 text-red-800 ring-red-300", dot: "bg-red-600" },
  skipped: { badge: "bg-slate-50 text-slate-700 ring-slate-300", dot: "bg-slate-400" },
};

/** A delivery status as text with a colour cue (the text alone carries the meaning). */
export function StatusBadge({ status }: { status: DeliveryStatus }) {
  const t = useTranslations("leads.status");
  const style = STYLES[status];
  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${style.badge}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
      {t(status)}
    </span>
  );
}
