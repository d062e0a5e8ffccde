"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useLead } from "@/hooks/use-leads";
import { ApiClientError } from "@/lib/api/api-client";
import { DeliveryHistory } from "./delivery-history";
import { LeadDelivery } from "./lead-delivery";
import { LeadFields } from "./lead-fields";
import { LeadRefusedRedirect } from "./lead-refused-redirect";
import { LeadWork } from "./lead-work";
import { LocalTime } from "@/components/ui/dates";
import { Loading, QueryError } from "@/components/ui/query-state";

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
        <Loading label={t("detail.loading")} />
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
          <QueryError message={t("detail.loadError")} onRetry={() => void lead.refetch()} retrying={lead.isFetching} />
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
          {t("detail.received")} <LocalTime iso={data.created_at} style="precise" />
        </p>
      </header>
      <LeadRefusedRedirect lead={data} canManage={canManage} />
      <LeadWork lead={data} />
      <LeadFields lead={data} />
      <LeadDelivery lead={data} canManage={canManage} />
      <DeliveryHistory history={data.delivery_history} />
    </article>
  );
}
