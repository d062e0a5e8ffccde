"use client";
import { useTranslations } from "next-intl";
import { DELIVERY_STATUSES, type DeliveryStatus } from "@/lib/schemas/leads";

/** The inbox's status filter; the choice lives in the URL (`?status=`). */
export function LeadFilters({
  status,
  onChange,
}: {
  status: DeliveryStatus | undefined;
  onChange: (status: DeliveryStatus | undefined) => void;
}) {
  const t = useTranslations("leads");
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="lead-status-filter" className="text-sm font-medium text-slate-800">
        {t("filter.label")}
      </label>
      <select
        id="lead-status-filter"
        value={status ?? ""}
        onChange={(event) => onChange(DELIVERY_STATUSES.find((value) => value === event.target.value))}
        className="rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-600"
      >
        <option value="">{t("filter.all")}</option>
        {DELIVERY_STATUSES.map((value) => (
          <option key={value} value={value}>
            {t(`status.${value}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
