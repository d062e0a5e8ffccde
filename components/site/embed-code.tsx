"use client";
import { useTranslations } from "next-intl";
import { useState, useSyncExternalStore, type ReactNode } from "react";
import { fetchSnippet, htmlFormSnippet, leadEndpoint } from "@/lib/leads/embed-snippet";
import type { TenantDto } from "@/lib/schemas/tenant";
import { Loading } from "@/components/ui/query-state";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyableValue } from "@/components/ui/copyable-value";
import { TextField } from "@/components/ui/text-field";

const noSubscription = () => () => {};

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The copy-paste form code for this site's endpoint on this server. */
export function EmbedCode({ tenant }: { tenant: TenantDto }) {
  const t = useTranslations("site");
  // The app's origin is the browser's; the server render has none.
  const appOrigin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => null,
  );
  const [customThankYou, setCustomThankYou] = useState<string | null>(null);
  if (appOrigin === null) return <Loading />;

  const endpoint = leadEndpoint(appOrigin, tenant.site_key);
  const thankYouUrl = customThankYou ?? `${tenant.allowed_origins[0] ?? "https://your-site.example"}/thanks`;
  const thankYouOrigin = originOf(thankYouUrl);
  const redirectRefused =
    thankYouOrigin === null || (thankYouOrigin !== appOrigin && !tenant.allowed_origins.includes(thankYouOrigin));
  const code = (chunks: ReactNode) => <code className="rounded bg-slate-100 px-1 font-mono text-xs">{chunks}</code>;

  return (
    <div className="space-y-6">
      <CopyableValue
        term={t("embed.endpoint")}
        value={endpoint}
        copyLabel={t("embed.copyEndpoint")}
        testId="lead-endpoint"
      />
      <div className="space-y-2">
        <TextField
          id="thank-you-url"
          label={t("embed.thankYou")}
          hint={t("embed.thankYouHint")}
          value={thankYouUrl}
          onChange={(event) => setCustomThankYou(event.target.value)}
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={redirectRefused ? "thank-you-url-hint thank-you-url-warning" : "thank-you-url-hint"}
        />
        {redirectRefused ? (
          <p id="thank-you-url-warning" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {t("embed.thankYouNotAllowed")}
          </p>
        ) : null}
      </div>
      <CodeBlock
        id="html-snippet"
        title={t("embed.htmlHeading")}
        description={t("embed.htmlDescription")}
        code={htmlFormSnippet(endpoint, thankYouUrl)}
        copyLabel={t("embed.copyHtml")}
        codeLabel={t("embed.codeLabel", { name: t("embed.htmlHeading") })}
      />
      <CodeBlock
        id="fetch-snippet"
        title={t("embed.fetchHeading")}
        description={t.rich("embed.fetchDescription", { code })}
        code={fetchSnippet(endpoint)}
        copyLabel={t("embed.copyFetch")}
        codeLabel={t("embed.codeLabel", { name: t("embed.fetchHeading") })}
      />
    </div>
  );
}
