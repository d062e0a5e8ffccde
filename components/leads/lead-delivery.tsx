"use client";
import { useTranslations } from "next-intl";
import { isFinalStatus } from "@/hooks/use-leads";
import type { LeadDetail } from "@/lib/schemas/leads";
import { DeliveryReason } from "./delivery-reason";
import { LocalTime } from "@/components/ui/dates";
import { ResendButton } from "./resend-button";
import { StatusBadge } from "./status-badge";

/** The notification's current state, and "send again" for those allowed to. */
export function LeadDelivery({ lead, canManage }: { lead: LeadDetail; canManage: boolean }) {
  const t = useTranslations("leads.delivery");
  const { delivery } = lead;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <h2 className="mb-3 text-lg font-semibold">{t("section")}</h2>
      <dl className="grid gap-x-6 gap-y-1 sm:gap-y-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
        <dt className="text-sm text-slate-600 sm:pt-0.5">{t("status")}</dt>
        <dd data-testid="delivery-status">
          <StatusBadge status={delivery.status} />
          {isFinalStatus(delivery.status) ? null : <span className="ml-2 text-xs text-slate-600">{t("polling")}</span>}
        </dd>
        <dt className="text-sm text-slate-600 max-sm:mt-2 sm:pt-0.5">{t("attempts")}</dt>
        <dd>{delivery.attempts}</dd>
        {delivery.last_error ? (
          <>
            <dt className="text-sm text-slate-600 max-sm:mt-2 sm:pt-0.5">{t("lastError")}</dt>
            <dd
              className={`break-words ${delivery.status === "failed" || delivery.status === "retrying" ? "text-red-800" : "text-slate-800"}`}
            >
              <DeliveryReason code={delivery.reason_code} description={delivery.last_error} />
            </dd>
          </>
        ) : null}
        {delivery.sent_at ? (
          <>
            <dt className="text-sm text-slate-600 max-sm:mt-2 sm:pt-0.5">{t("sentAt")}</dt>
            <dd>
              <LocalTime iso={delivery.sent_at} style="precise" />
            </dd>
          </>
        ) : null}
      </dl>
      {canManage ? (
        <div className="mt-4">
          <ResendButton leadId={lead.id} />
        </div>
      ) : null}
    </section>
  );
}
