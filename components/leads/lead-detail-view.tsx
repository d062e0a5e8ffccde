"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useLead } from "@/hooks/use-leads";
import { ApiClientError } from "@/lib/api/api-client";
import { DeliveryHistory } from "./delivery-history";
import { LeadDelivery } from "./lead-delivery";
import { LeadFields } from "./lead-fields";
import { LeadRefusedRedirect } from "./lead-refused-redirect";
import { LocalTime } from "./local-time";

function BackLink() {
  const t = useTranslations("leads.detail");
  return (
    <Link
      href="/leads"
      className="inline-block rounded text-sm font-medium text-blue-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      {t("back")}
    </Link>
  );
}

/** One lead: what was sent, where from, and how its notification went. */
export function LeadDetailView({ leadId, canManage }: { leadId: string; canManage: boolean }) {
  const t = useTranslations("leads");
  const lead = useLead(leadId);

  if (lead.isPending) {
    return (
      <div className="space-y-4">
        <BackLink />
        <p role="status" className="text-slate-600">
          {t("detail.loading")}
        </p>
      </div>
    );
  }
  if (lead.isError) {
    const notFound = lead.error instanceof ApiClientError && lead.error.code === "not_found";
    return (
      <div className="space-y-4">
        <BackLink />
        {notFound ? (
          <div className="rounded-lg border border-slate-200 bg-white p-6">
            <h1 className="text-2xl font-semibold">{t("detail.notFound")}</h1>
            <p className="mt-2 text-slate-600">{t("detail.notFoundHint")}</p>
          </div>
        ) : (
          <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 px-4 py-3 text-red-800">
            <span>{t("detail.loadError")}</span>
            <button
              type="button"
              onClick={() => void lead.refetch()}
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
            >
              {t("retry")}
            </button>
          </div>
        )}
      </div>
    );
  }

  const data = lead.data;
  return (
    <article className="space-y-4">
      <BackLink />
      <header>
        <h1 className="text-2xl font-semibold break-words">{data.name ?? t("detail.titleNoName")}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {t("detail.received")} <LocalTime iso={data.created_at} seconds />
        </p>
      </header>
      <LeadRefusedRedirect lead={data} canManage={canManage} />
      <LeadFields lead={data} />
      <LeadDelivery lead={data} canManage={canManage} />
      <DeliveryHistory history={data.delivery_history} />
    </article>
  );
}
