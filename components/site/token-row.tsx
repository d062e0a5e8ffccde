"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useRevokeApiToken, type ApiTokenListItem } from "@/hooks/use-site-settings";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";
import { useFormatDate } from "@/components/ui/dates";

/** One token: name, prefix, dates, and revoking it after an inline confirmation. */
export function TokenRow({ token }: { token: ApiTokenListItem }) {
  const t = useTranslations("site");
  const formatDate = useFormatDate();
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ShownError | string | null>(null);
  const describe = useDescribeError();
  const [revokedNow, setRevokedNow] = useState(false);
  const rowRef = useRef<HTMLLIElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  // Focus goes back on "Revoke" after cancelling (the panel puts it on Cancel when it opens).
  useEffect(() => {
    if (!confirming && returnFocus.current) revokeRef.current?.focus();
    returnFocus.current = false;
  }, [confirming]);
  const revoked = token.revoked_at !== null;

  async function confirmRevoke() {
    setError(null);
    try {
      await revoke.mutateAsync(token.id);
      setRevokedNow(true);
      setConfirming(false);
      rowRef.current?.focus();
    } catch (caught) {
      setError(describe(caught));
    }
  }

  function cancel() {
    returnFocus.current = true;
    setConfirming(false);
    setError(null);
  }

  return (
    <li
      ref={rowRef}
      tabIndex={-1}
      data-testid="api-token"
      className={`space-y-2 px-3 py-3 focus:outline-none ${revoked ? "bg-slate-50" : ""}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <span className={`break-all font-medium ${revoked ? "text-slate-500 line-through" : ""}`}>
              {token.name}
            </span>
            <span
              className={`rounded px-2 py-0.5 text-xs font-medium ${revoked ? "bg-slate-200 text-slate-700" : "bg-green-100 text-green-800"}`}
            >
              {revoked ? t("tokens.revoked") : t("tokens.active")}
            </span>
          </p>
          <p className="text-sm text-slate-600">
            <code className="font-mono">{token.prefix}…</code>
            {" · "}
            {t("tokens.created", { date: formatDate(token.created_at, "day") })}
            {" · "}
            {token.last_used_at
              ? t("tokens.lastUsed", { date: formatDate(token.last_used_at) })
              : t("tokens.neverUsed")}
            {token.revoked_at ? ` · ${t("tokens.revokedAt", { date: formatDate(token.revoked_at) })}` : null}
          </p>
        </div>
        {!revoked && !confirming ? (
          <button
            type="button"
            ref={revokeRef}
            className={ui.dangerButton}
            aria-label={t("tokens.revokeLabel", { name: token.name })}
            onClick={() => setConfirming(true)}
          >
            {t("tokens.revoke")}
          </button>
        ) : null}
      </div>
      {!revoked && confirming ? (
        <ConfirmPanel
          id={`revoke-${token.id}`}
          question={t("tokens.confirmQuestion", { name: token.name })}
          confirmLabel={t("tokens.confirmRevoke")}
          pendingLabel={t("tokens.revoking")}
          cancelLabel={t("tokens.cancel")}
          pending={revoke.isPending}
          onConfirm={() => void confirmRevoke()}
          onCancel={cancel}
        />
      ) : null}
      <ErrorAlert error={error} />
      <div role="status" className="text-sm text-slate-700">
        {revokedNow ? t("tokens.revokedStatus", { name: token.name }) : null}
      </div>
    </li>
  );
}
