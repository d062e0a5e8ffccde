"use client";
import { useTranslations } from "next-intl";
import { ui } from "@/components/ui/styles";
import type { LeadFilter } from "@/hooks/use-leads";
import { DELIVERY_STATUSES, LEAD_STATES } from "@/lib/schemas/leads";

function FilterSelect<T extends string>({
  id,
  label,
  values,
  value,
  labelOf,
  onChange,
}: {
  id: string;
  label: string;
  values: readonly T[];
  value: T | undefined;
  labelOf: (value: T) => string;
  onChange: (value: T | undefined) => void;
}) {
  const t = useTranslations("leads");
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className={ui.label}>
        {label}
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => onChange(values.find((option) => option === event.target.value))}
        className={ui.select}
      >
        <option value="">{t("filter.all")}</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {labelOf(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The inbox's filters, by the lead's state and by its delivery; the choice lives in the URL. */
export function LeadFilters({ filter, onChange }: { filter: LeadFilter; onChange: (filter: LeadFilter) => void }) {
  const t = useTranslations("leads");
  return (
    <div className="flex flex-wrap items-center gap-4">
      <FilterSelect
        id="lead-state-filter"
        label={t("filter.stateLabel")}
        values={LEAD_STATES}
        value={filter.state}
        labelOf={(state) => t(`state.${state}`)}
        onChange={(state) => onChange({ ...filter, state })}
      />
      <FilterSelect
        id="lead-status-filter"
        label={t("filter.label")}
        values={DELIVERY_STATUSES}
        value={filter.status}
        labelOf={(status) => t(`status.${status}`)}
        onChange={(status) => onChange({ ...filter, status })}
      />
    </div>
  );
}
