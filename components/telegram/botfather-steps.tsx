"use client";
import { useTranslations } from "next-intl";
import { stringList } from "./string-list";

/** The spec's "Как создать Telegram бота" steps. */
export function BotFatherSteps() {
  const t = useTranslations("telegram.setup");
  return (
    <div className="rounded bg-slate-50 p-4">
      <h3 className="text-sm font-semibold text-slate-900">{t("stepsTitle")}</h3>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-slate-700">
        {stringList(t.raw("steps")).map((step) => (
          <li key={step} className="break-words">
            {step}
          </li>
        ))}
      </ol>
    </div>
  );
}
