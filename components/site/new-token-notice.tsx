"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import type { CreatedApiToken } from "@/lib/schemas/tenant";
import { CopyButton } from "@/components/ui/copy-button";
import { ui } from "@/components/ui/styles";

/** The only time a token is visible: highlighted, with a copy button and a warning. */
export function NewTokenNotice({ token, onDismiss }: { token: CreatedApiToken; onDismiss: () => void }) {
  const t = useTranslations("site");
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [token.id]);

  return (
    <div
      role="region"
      aria-labelledby="new-token-heading"
      className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4"
    >
      <h3
        id="new-token-heading"
        ref={headingRef}
        tabIndex={-1}
        className="font-semibold text-amber-950 focus:outline-none"
      >
        {t("tokens.newHeading", { name: token.name })}
      </h3>
      <p id="new-token-warning" className="text-sm font-medium text-amber-900">
        {t("tokens.warning")}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="new-api-token"
          aria-describedby="new-token-warning"
          className="break-all rounded border border-amber-300 bg-white px-2 py-1 font-mono text-sm"
        >
          {token.token}
        </code>
        <CopyButton text={token.token} label={t("tokens.copyToken")} />
      </div>
      <button type="button" className={ui.secondaryButton} onClick={onDismiss}>
        {t("tokens.dismiss")}
      </button>
    </div>
  );
}
