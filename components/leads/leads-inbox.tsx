"use client";
import { useTranslations } from "next-intl";
import { usePathname, useSearchParams } from "next/navigation";
import { useLeads } from "@/hooks/use-leads";
import { deliveryStatusSchema, type DeliveryStatus } from "@/lib/schemas/leads";
import { LeadFilters } from "./lead-filters";
import { LeadsEmpty } from "./leads-empty";
import { LeadsTable } from "./leads-table";
import { RefusedRedirectsNotice } from "./refused-redirects-notice";

const buttonClass =
  "rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-60";

/** The leads list: status filter from `?status=`, newest first, page by page, refreshed in the background. */
export function LeadsInbox({ canManage }: { canManage: boolean }) {
  const t = useTranslations("leads");
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const parsed = deliveryStatusSchema.safeParse(searchParams.get("status"));
  const status = parsed.success ? parsed.data : undefined;
  const leads = useLeads({ status });
  const items = leads.data?.pages.flatMap((page) => page.items) ?? [];

  function changeStatus(next: DeliveryStatus | undefined) {
    const params = new URLSearchParams(searchParams.toString());
    if (next) params.set("status", next);
    else params.delete("status");
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
      <LeadFilters status={status} onChange={changeStatus} />

      {leads.isPending ? (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      ) : leads.isError && !leads.data ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 px-4 py-3 text-red-800">
          <span>{t("loadError")}</span>
          <button type="button" onClick={() => void leads.refetch()} className={buttonClass}>
            {t("retry")}
          </button>
        </div>
      ) : items.length === 0 ? (
        status ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <h2 className="text-lg font-semibold text-slate-900">
              {t("emptyFiltered.title", { status: t(`status.${status}`) })}
            </h2>
            <button type="button" onClick={() => changeStatus(undefined)} className={`${buttonClass} mt-3`}>
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
              <button type="button" onClick={() => void leads.refetch()} className={buttonClass}>
                {t("retry")}
              </button>
            </div>
          ) : null}
          <LeadsTable leads={items} />
          {leads.isFetchNextPageError ? (
            <p role="alert" className="rounded bg-red-50 px-4 py-2 text-center text-sm text-red-800">
              {t("loadError")}
            </p>
          ) : null}
          {leads.hasNextPage ? (
            <div className="flex justify-center">
              <button
                type="button"
                onClick={() => void leads.fetchNextPage()}
                disabled={leads.isFetchingNextPage}
                className={buttonClass}
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
