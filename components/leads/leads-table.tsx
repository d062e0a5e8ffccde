"use client";
import { useTranslations } from "next-intl";
import { ui } from "@/components/ui/styles";
import type { LeadDto } from "@/lib/schemas/leads";
import { LeadRow } from "./lead-row";

/** The inbox's leads with column headers; on phones the rows become cards (headers stay for screen readers). */
export function LeadsTable({ leads }: { leads: LeadDto[] }) {
  const t = useTranslations("leads");
  return (
    <table
      role="table"
      className="w-full border-collapse overflow-hidden rounded-lg bg-white ring-1 ring-slate-200 max-sm:block max-sm:bg-transparent max-sm:ring-0"
    >
      <caption className="sr-only">{t("caption")}</caption>
      <thead role="rowgroup" className="border-b border-slate-200 bg-slate-50 max-sm:sr-only">
        <tr role="row">
          <th role="columnheader" scope="col" className={`${ui.tableHeader} w-36`}>
            {t("columns.time")}
          </th>
          <th role="columnheader" scope="col" className={ui.tableHeader}>
            {t("columns.name")}
          </th>
          <th role="columnheader" scope="col" className={ui.tableHeader}>
            {t("columns.contact")}
          </th>
          <th role="columnheader" scope="col" className={ui.tableHeader}>
            {t("columns.message")}
          </th>
          <th role="columnheader" scope="col" className={`${ui.tableHeader} w-32`}>
            {t("columns.state")}
          </th>
          <th role="columnheader" scope="col" className={`${ui.tableHeader} w-32`}>
            {t("columns.status")}
          </th>
        </tr>
      </thead>
      <tbody role="rowgroup" className="max-sm:grid max-sm:gap-3">
        {leads.map((lead) => (
          <LeadRow key={lead.id} lead={lead} />
        ))}
      </tbody>
    </table>
  );
}
