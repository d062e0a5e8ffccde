"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { CopyButton } from "./copy-button";

/** The public site key, read-only, with a copy button and the demo form that uses it. */
export function SiteKey({ siteKey }: { siteKey: string }) {
  const t = useTranslations("site");
  return (
    <div className="space-y-3">
      <dl className="space-y-1">
        <dt className="text-sm font-medium text-slate-800">{t("site.siteKey")}</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <code data-testid="site-key" className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm">
            {siteKey}
          </code>
          <CopyButton text={siteKey} label={t("site.copySiteKey")} />
        </dd>
        <dd className="text-xs text-slate-600">{t("site.siteKeyHint")}</dd>
      </dl>
      <p className="text-sm">
        <Link
          href={`/demo/${encodeURIComponent(siteKey)}`}
          className="font-medium text-blue-700 underline hover:text-blue-900 focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          {t("site.demo")}
        </Link>
        <span className="block text-xs text-slate-600">{t("site.demoHint")}</span>
      </p>
    </div>
  );
}
