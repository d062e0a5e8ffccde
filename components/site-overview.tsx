"use client";
import { useTranslations } from "next-intl";
import { QueryState } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";
import { useTenant } from "@/hooks/use-tenant";

export function SiteOverview() {
  const t = useTranslations("dashboard");
  return (
    <QueryState query={useTenant()} loadingLabel={t("loading")} errorMessage={t("loadError")}>
      {(tenant) => (
        <dl className={`${ui.card} space-y-4 p-6`}>
          <div>
            <dt className={ui.muted}>{t("title")}</dt>
            <dd className="text-xl font-semibold">{tenant.name}</dd>
          </div>
          <div>
            <dt className={ui.muted}>{t("siteKey")}</dt>
            <dd>
              <code className={ui.code} data-testid="site-key">
                {tenant.site_key}
              </code>
              <p className={`mt-1 ${ui.hint}`}>{t("siteKeyHint")}</p>
            </dd>
          </div>
        </dl>
      )}
    </QueryState>
  );
}
