"use client";
import { useTranslations } from "next-intl";
import { usePathname, useSearchParams } from "next/navigation";
import { useLeads, type LeadFilter } from "@/hooks/use-leads";
import { deliveryStatusSchema, leadStateSchema } from "@/lib/schemas/leads";
import { LeadFilters } from "./lead-filters";
import { LeadsEmpty } from "./leads-empty";
import { LeadsTable } from "./leads-table";
import { RefusedRedirectsNotice } from "./refused-redirects-notice";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Loading, QueryError } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";

/** The leads list: filters from `?state=` and `?status=`, newest first, page by page, refreshed in the background. */
export function LeadsInbox({ canManage }: { canManage: boolean }) {
  const t = useTranslations("leads");
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filter: LeadFilter = {
    status: deliveryStatusSchema.safeParse(searchParams.get("status")).data,
    state: leadStateSchema.safeParse(searchParams.get("state")).data,
  };
  const filtered = filter.status !== undefined || filter.state !== undefined;
  const leads = useLeads(filter);
  const describeFilter = ({ state, status }: LeadFilter) =>
    [
      state ? `${t("filter.stateLabel")}: ${t(`state.${state}`)}` : null,
      status ? `${t("filter.label")}: ${t(`status.${status}`)}` : null,
    ]
      .filter(Boolean)
      .join(", ");
  const items = leads.data?.pages.flatMap((page) => page.items) ?? [];

  function changeFilter(next: LeadFilter) {
    const params = new URLSearchParams(searchParams.toString());
    for (const key of ["status", "state"] as const) {
      const value = next[key];
      if (value) params.set(key, value);
      else params.delete(key);
    }
    const query = params.toString();
    // Next.js keeps useSearchParams in step with the History API: no server round trip.
    window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <a
          href="/api/v1/leads/export.csv"
          download
          className="rounded px-3 py-2 text-sm font-medium text-blue-800 underline underline-offset-2 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          {t("downloadCsv")}
        </a>
      </div>
      <RefusedRedirectsNotice canManage={canManage} />
      <LeadFilters filter={filter} onChange={changeFilter} />

      {leads.isPending ? (
        <Loading label={t("loading")} />
      ) : leads.isError && !leads.data ? (
        <QueryError message={t("loadError")} onRetry={() => void leads.refetch()} retrying={leads.isFetching} />
      ) : items.length === 0 ? (
        filtered ? (
          <div className={ui.empty}>
            <h2 className="text-lg font-semibold text-slate-900">{t("emptyFiltered.title")}</h2>
            <p className={`mt-1 ${ui.muted}`}>{t("emptyFiltered.filters", { filters: describeFilter(filter) })}</p>
            <button type="button" onClick={() => changeFilter({})} className={`${ui.secondaryButton} mt-3`}>
              {t("emptyFiltered.showAll")}
            </button>
          </div>
        ) : (
          <LeadsEmpty canManage={canManage} />
        )
      ) : (
        <>
          {leads.isRefetchError ? (
            <div
              role="alert"
              className="flex flex-wrap items-center gap-3 rounded bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              <span>{t("refreshError")}</span>
              <button type="button" onClick={() => void leads.refetch()} className={ui.secondaryButton}>
                {t("retry")}
              </button>
            </div>
          ) : null}
          <LeadsTable leads={items} />
          <ErrorAlert error={leads.isFetchNextPageError ? t("loadError") : null} />
          {leads.hasNextPage ? (
            <div className="flex justify-center">
              <button
                type="button"
                onClick={() => void leads.fetchNextPage()}
                disabled={leads.isFetchingNextPage}
                className={ui.secondaryButton}
              >
                {leads.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
              </button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
