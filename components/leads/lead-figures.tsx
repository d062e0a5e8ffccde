"use client";
import { useFormatter, useTranslations } from "next-intl";
import { QueryState } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";
import { useLeadFigures } from "@/hooks/use-leads";

function Figure({ id, label, value, hint }: { id: string; label: string; value: string; hint: string }) {
  return (
    <div className={`${ui.card} p-4`}>
      <dt className={ui.muted}>{label}</dt>
      <dd data-testid={`figure-${id}`} className="mt-1 text-2xl font-semibold">
        {value}
      </dd>
      <dd className={ui.hint}>{hint}</dd>
    </div>
  );
}

/** The dashboard's view of the team's work: what is still open, and how fast a lead is taken. */
export function LeadFigures() {
  const t = useTranslations("dashboard.figures");
  const format = useFormatter();
  return (
    <section aria-labelledby="lead-figures-title" className="space-y-2">
      <h2 id="lead-figures-title" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <QueryState query={useLeadFigures()}>
        {(figures) => (
          <dl className="grid gap-3 sm:grid-cols-2">
            <Figure id="open" label={t("open")} value={format.number(figures.open_leads)} hint={t("openHint")} />
            <Figure
              id="median"
              label={t("median")}
              value={
                figures.median_minutes_to_take === null
                  ? t("none")
                  : t("minutes", { minutes: format.number(figures.median_minutes_to_take) })
              }
              hint={t("medianHint")}
            />
          </dl>
        )}
      </QueryState>
    </section>
  );
}
