"use client";
import { useTranslations } from "next-intl";
import { ui } from "@/components/ui/styles";
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
      <label htmlFor="lead-status-filter" className={ui.label}>
        {t("filter.label")}
      </label>
      <select
        id="lead-status-filter"
        value={status ?? ""}
        onChange={(event) => onChange(DELIVERY_STATUSES.find((value) => value === event.target.value))}
        className={ui.select}
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
