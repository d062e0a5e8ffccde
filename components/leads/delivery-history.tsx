"use client";
import { useTranslations } from "next-intl";
import { ui } from "@/components/ui/styles";
import { deliveryStatusSchema, type LeadDetail } from "@/lib/schemas/leads";
import { DeliveryReason } from "./delivery-reason";
import { LocalTime } from "@/components/ui/dates";
import { StatusBadge } from "./status-badge";

const cellClass = "px-3 py-2 align-top text-sm max-sm:p-0";

function Outcome({ outcome }: { outcome: string }) {
  const status = deliveryStatusSchema.safeParse(outcome);
  return status.success ? <StatusBadge status={status.data} /> : <span>{outcome}</span>;
}

/** Every delivery attempt of the lead's notification, oldest first. */
export function DeliveryHistory({ history }: { history: LeadDetail["delivery_history"] }) {
  const t = useTranslations("leads.history");
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <h2 className="mb-3 text-lg font-semibold">{t("section")}</h2>
      {history.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <table role="table" className="w-full border-collapse max-sm:block">
          <caption className="sr-only">{t("caption")}</caption>
          <thead role="rowgroup" className="border-b border-slate-200 max-sm:sr-only">
            <tr role="row">
              <th role="columnheader" scope="col" className={ui.tableHeader}>
                {t("time")}
              </th>
              <th role="columnheader" scope="col" className={ui.tableHeader}>
                {t("outcome")}
              </th>
              <th role="columnheader" scope="col" className={ui.tableHeader}>
                {t("errorCode")}
              </th>
              <th role="columnheader" scope="col" className={ui.tableHeader}>
                {t("description")}
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup" className="max-sm:grid max-sm:gap-2">
            {history.map((attempt, index) => (
              <tr
                role="row"
                key={`${attempt.at}-${index}`}
                data-testid="delivery-attempt"
                className="border-b border-slate-100 last:border-b-0 max-sm:grid max-sm:grid-cols-[minmax(0,1fr)_auto] max-sm:gap-1 max-sm:rounded max-sm:border max-sm:border-slate-200 max-sm:p-2 max-sm:last:border-b"
              >
                <td role="cell" className={`${cellClass} whitespace-nowrap text-slate-700`}>
                  <LocalTime iso={attempt.at} style="precise" />
                </td>
                <td role="cell" className={cellClass}>
                  <Outcome outcome={attempt.outcome} />
                </td>
                <td
                  role="cell"
                  className={`${cellClass} text-slate-800 max-sm:col-span-2 ${attempt.error_code === null ? "max-sm:hidden" : ""}`}
                >
                  {attempt.error_code === null ? (
                    <span aria-hidden="true" className="text-slate-400">
                      —
                    </span>
                  ) : (
                    <>
                      <span className="text-slate-600 sm:hidden">{t("errorCode")}: </span>
                      <span className="font-mono">{attempt.error_code}</span>
                    </>
                  )}
                </td>
                <td
                  role="cell"
                  className={`${cellClass} break-words text-slate-800 max-sm:col-span-2 ${attempt.description === null ? "max-sm:hidden" : ""}`}
                >
                  {attempt.description ? (
                    <DeliveryReason code={attempt.code} description={attempt.description} />
                  ) : (
                    <span aria-hidden="true" className="text-slate-400">
                      —
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
