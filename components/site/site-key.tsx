"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { CopyableValue } from "@/components/ui/copyable-value";

/** The public site key, read-only, with a copy button and the demo form that uses it. */
export function SiteKey({ siteKey }: { siteKey: string }) {
  const t = useTranslations("site");
  return (
    <div className="space-y-3">
      <CopyableValue
        term={t("site.siteKey")}
        value={siteKey}
        copyLabel={t("site.copySiteKey")}
        testId="site-key"
        hint={t("site.siteKeyHint")}
      />
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
