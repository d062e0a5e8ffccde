"use client";
import { useTranslations } from "next-intl";
import { useTenant } from "@/hooks/use-tenant";

export function SiteOverview() {
  const t = useTranslations("dashboard");
  const tenant = useTenant();
  if (tenant.isPending) return <p>{t("loading")}</p>;
  if (tenant.isError)
    return (
      <p role="alert" className="text-red-800">
        {t("loadError")}
      </p>
    );
  return (
    <dl className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <div>
        <dt className="text-sm text-slate-600">{t("title")}</dt>
        <dd className="text-xl font-semibold">{tenant.data.name}</dd>
      </div>
      <div>
        <dt className="text-sm text-slate-600">{t("siteKey")}</dt>
        <dd>
          <code className="rounded bg-slate-100 px-2 py-1" data-testid="site-key">
            {tenant.data.site_key}
          </code>
          <p className="mt-1 text-xs text-slate-600">{t("siteKeyHint")}</p>
        </dd>
      </div>
    </dl>
  );
}
