"use client";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";

/** The allowed origins, each with a remove button; empty means any site may post. */
export function OriginList({ origins }: { origins: string[] }) {
  const t = useTranslations("site");
  const update = useUpdateTenant();
  const [removing, setRemoving] = useState<string | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | string | null>(null);
  const describe = useDescribeError();
  const listRef = useRef<HTMLDivElement>(null);

  async function remove(origin: string) {
    setRemoving(origin);
    setRemoved(null);
    setError(null);
    try {
      await update.mutateAsync({ allowed_origins: origins.filter((item) => item !== origin) });
      setRemoved(origin);
      // The pressed button is gone; keep the keyboard user in this list.
      listRef.current?.focus();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setRemoving(null);
    }
  }

  return (
    <div ref={listRef} tabIndex={-1} className="space-y-2 focus:outline-none">
      {origins.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600">
          {t("origins.empty")}
        </p>
      ) : (
        <ul aria-label={t("origins.listLabel")} className="divide-y divide-slate-200 rounded border border-slate-200">
          {origins.map((origin) => (
            <li key={origin} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <code className="break-all font-mono text-sm">{origin}</code>
              <button
                type="button"
                className={ui.dangerButton}
                aria-label={t("origins.removeLabel", { origin })}
                disabled={update.isPending}
                onClick={() => void remove(origin)}
              >
                {removing === origin ? t("origins.removing") : t("origins.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <StatusLine message={removed ? t("origins.removed", { origin: removed }) : null} />
      <ErrorAlert error={error} />
    </div>
  );
}
