"use client";
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { useApiTokens } from "@/hooks/use-site-settings";
import type { CreatedApiToken } from "@/lib/schemas/tenant";
import { CreateTokenForm } from "./create-token-form";
import { NewTokenNotice } from "./new-token-notice";
import { QueryState } from "@/components/ui/query-state";
import { SettingsSection } from "./settings-section";
import { TokenList } from "./token-list";

export function ApiTokensSection() {
  const t = useTranslations("site");
  const tokens = useApiTokens();
  // Kept only in memory: once dismissed or the page is left, the token is gone for good.
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const code = (chunks: ReactNode) => <code className="rounded bg-slate-100 px-1 font-mono text-xs">{chunks}</code>;
  return (
    <SettingsSection id="tokens" title={t("tokens.heading")} description={t.rich("tokens.description", { code })}>
      <CreateTokenForm onCreated={setCreated} />
      {created ? <NewTokenNotice token={created} onDismiss={() => setCreated(null)} /> : null}
      <QueryState query={tokens}>{(data) => <TokenList tokens={data.items} />}</QueryState>
    </SettingsSection>
  );
}
