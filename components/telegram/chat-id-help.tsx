"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { stringList } from "./string-list";
import { ui } from "@/components/ui/styles";

const GET_UPDATES_URL = "https://api.telegram.org/bot{TOKEN}/getUpdates";

function Way({ title, steps, children }: { title: string; steps: string[]; children?: ReactNode }) {
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm text-slate-700">
        {steps.map((step) => (
          <li key={step} className="break-words">
            {step}
          </li>
        ))}
      </ol>
      {children}
    </div>
  );
}

/** "Как узнать Chat ID?": the spec's three ways, as a native disclosure. */
export function ChatIdHelp() {
  const t = useTranslations("telegram.chatId.help");
  return (
    <details className="group rounded border border-slate-200 bg-slate-50">
      <summary className={`cursor-pointer rounded px-3 py-2 text-sm font-medium text-blue-800 ${ui.focus}`}>
        {t("toggle")}
      </summary>
      <div className="space-y-4 px-3 pb-3">
        <p className="text-sm text-slate-800">{t("easiest")}</p>
        <Way title={t("way1Title")} steps={stringList(t.raw("way1Steps"))} />
        <Way title={t("way2Title")} steps={stringList(t.raw("way2Steps"))}>
          <code className="mt-1 block break-all rounded bg-white px-2 py-1 text-xs">{GET_UPDATES_URL}</code>
          <p className="mt-1 text-xs text-slate-600">{t("way2Note")}</p>
        </Way>
        <Way title={t("way3Title")} steps={stringList(t.raw("way3Steps"))} />
      </div>
    </details>
  );
}
