"use client";
import { useTranslations } from "next-intl";
import type { ApiTokenListItem } from "@/hooks/use-site-settings";
import { TokenRow } from "./token-row";

/** The site's API tokens, newest first; revoked ones stay listed as revoked. */
export function TokenList({ tokens }: { tokens: ApiTokenListItem[] }) {
  const t = useTranslations("site");
  if (tokens.length === 0) return <p className="text-sm text-slate-600">{t("tokens.empty")}</p>;
  return (
    <ul aria-label={t("tokens.listLabel")} className="divide-y divide-slate-200 rounded border border-slate-200">
      {tokens.map((token) => (
        <TokenRow key={token.id} token={token} />
      ))}
    </ul>
  );
}
