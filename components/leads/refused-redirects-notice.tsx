"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import type { ReactNode } from "react";
import { useRefusedRedirects } from "@/hooks/use-leads";
import { LocalTime } from "@/components/ui/dates";

const linkClass =
  "font-medium text-blue-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600";

/** The fix for a refused origin: the settings link for those who may change it, whom to ask for the others. */
export function AllowOriginHint({ origin, canManage }: { origin: string; canManage: boolean }) {
  const t = useTranslations("leads.refusedRedirects");
  if (!canManage) return <>{t("askManager", { origin })}</>;
  const settings = (chunks: ReactNode) => (
    <Link href="/settings/site#origins" className={linkClass}>
      {chunks}
    </Link>
  );
  return <>{t.rich("allow", { origin, settings })}</>;
}

/**
 * Shown until the owner acts: forms whose `_redirect` the site does not allow. Their leads
 * are stored, but visitors land on Leadgram's thank-you page instead of the site's.
 */
export function RefusedRedirectsNotice({ canManage }: { canManage: boolean }) {
  const t = useTranslations("leads.refusedRedirects");
  const refused = useRefusedRedirects();
  const items = refused.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section
      aria-labelledby="refused-redirects-title"
      data-testid="refused-redirects"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 sm:p-6"
    >
      <h2 id="refused-redirects-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm">{t("intro")}</p>
      <ul className="mt-3 space-y-3">
        {items.map((item) => (
          <li key={item.origin ?? item.target} className="text-sm">
            <code className="font-mono break-all">{item.target}</code>
            <span className="text-amber-900">
              {" "}
              · {t.rich("count", { leads: item.leads, time: () => <LocalTime iso={item.last_at} /> })}
            </span>
            <p className="mt-1">
              {item.origin ? <AllowOriginHint origin={item.origin} canManage={canManage} /> : t("notUrl")}
            </p>
          </li>
        ))}
      </ul>
      {items.some((item) => item.origin) ? <p className="mt-3 text-xs">{t("listNote")}</p> : null}
    </section>
  );
}
