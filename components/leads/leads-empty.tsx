"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import type { ReactNode } from "react";
import { useTenant } from "@/hooks/use-tenant";

const linkClass =
  "font-medium text-blue-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600";

/** No leads at all: where the form snippet is and where to try a submission. */
export function LeadsEmpty({ canManage }: { canManage: boolean }) {
  const t = useTranslations("leads.empty");
  const tenant = useTenant();
  const demoHref = tenant.data ? `/demo/${encodeURIComponent(tenant.data.site_key)}` : null;
  const links = {
    settings: (chunks: ReactNode) => (
      <Link href="/settings/site" className={linkClass}>
        {chunks}
      </Link>
    ),
    demo: (chunks: ReactNode) =>
      demoHref ? (
        <Link href={demoHref} className={linkClass}>
          {chunks}
        </Link>
      ) : (
        chunks
      ),
  };
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
      <h2 className="text-lg font-semibold text-slate-900">{t("title")}</h2>
      <p className="mx-auto mt-2 max-w-md text-sm text-slate-600">
        {canManage ? t.rich("hintManager", links) : t.rich("hintMember", links)}
      </p>
    </div>
  );
}
