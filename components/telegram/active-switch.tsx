"use client";
import { useTranslations } from "next-intl";
import { useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";

/** The ON/OFF switch of the title row: PATCH is_active. Named by the page title (`labelledBy`). */
export function ActiveSwitch({ isActive, labelledBy }: { isActive: boolean; labelledBy: string }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const update = useUpdateTelegramIntegration();
  // While saving, show where it is going; the button stays focusable (aria-disabled, not disabled).
  const checked = update.isPending && update.variables.is_active !== undefined ? update.variables.is_active : isActive;

  return (
    <div className="flex flex-col items-end gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-labelledby={labelledBy}
        aria-disabled={update.isPending || undefined}
        aria-describedby={update.isError ? "telegram-switch-error" : undefined}
        onClick={() => {
          if (!update.isPending) update.mutate({ is_active: !isActive });
        }}
        className={`group inline-flex items-center gap-2 rounded-full py-1 pl-1 pr-3 text-sm font-semibold ${ui.focus} ${checked ? "bg-green-700 text-white" : "bg-slate-300 text-slate-900"}`}
      >
        <span
          aria-hidden="true"
          className={`relative inline-block h-6 w-11 rounded-full ${checked ? "bg-green-900/40" : "bg-slate-400"}`}
        >
          <span
            className={`absolute top-0.5 h-5 w-5 rounded-full bg-white shadow transition-all ${checked ? "left-[1.375rem]" : "left-0.5"}`}
          />
        </span>
        <span>{checked ? t("switch.on") : t("switch.off")}</span>
      </button>
      {update.isError ? (
        <div className="max-w-xs">
          <ErrorAlert id="telegram-switch-error" error={describe(update.error, { fallback: t("switch.error") })} />
        </div>
      ) : null}
    </div>
  );
}
