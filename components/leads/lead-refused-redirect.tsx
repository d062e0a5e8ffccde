"use client";
import { useTranslations } from "next-intl";
import { httpUrl } from "@/lib/http/http-url";
import type { LeadDetail } from "@/lib/schemas/leads";
import { AllowOriginHint } from "./refused-redirects-notice";

/** This lead's form asked for a `_redirect` the site does not allow: what the visitor saw, and the fix. */
export function LeadRefusedRedirect({ lead, canManage }: { lead: LeadDetail; canManage: boolean }) {
  const t = useTranslations("leads.refusedRedirects");
  if (lead.refused_redirect === null) return null;
  const origin = httpUrl(lead.refused_redirect)?.origin ?? null;
  return (
    <section
      role="note"
      data-testid="lead-refused-redirect"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 sm:p-6"
    >
      <h2 className="mb-1 text-lg font-semibold">{t("leadTitle")}</h2>
      <p className="break-words">{t("leadText", { target: lead.refused_redirect })}</p>
      <p className="mt-2">{origin ? <AllowOriginHint origin={origin} canManage={canManage} /> : t("notUrl")}</p>
    </section>
  );
}
