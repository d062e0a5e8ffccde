"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useLeads } from "@/hooks/use-leads";
import { useTelegramIntegration } from "@/hooks/use-telegram-integration";
import { useTenant } from "@/hooks/use-tenant";

type Step = { key: "bot" | "chat" | "form" | "lead"; done: boolean; href: string };

/** A newcomer's path to the first lead in Telegram, each step ticked off as it is done. */
export function SetupChecklist() {
  const t = useTranslations("dashboard.setup");
  const integration = useTelegramIntegration();
  const leads = useLeads({});
  const tenant = useTenant();
  if (integration.isPending || leads.isPending || tenant.isPending) return null;
  if (integration.isError || leads.isError || tenant.isError) return null;

  const bot = integration.data;
  const hasLead = (leads.data.pages[0]?.items.length ?? 0) > 0;
  const steps: Step[] = [
    { key: "bot", done: bot !== null, href: "/settings/notifications/telegram" },
    { key: "chat", done: bot?.owner_chat_id != null, href: "/settings/notifications/telegram" },
    { key: "form", done: hasLead, href: "/settings/site" },
    { key: "lead", done: hasLead, href: `/demo/${tenant.data.site_key}` },
  ];
  if (steps.every((step) => step.done)) return null;

  return (
    <section aria-labelledby="setup-title" className="rounded-lg border border-blue-200 bg-blue-50 p-6">
      <h2 id="setup-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <ol className="mt-3 space-y-2">
        {steps.map((step) => (
          <li key={step.key} className="flex items-start gap-2">
            <span aria-hidden="true" className={step.done ? "text-green-700" : "text-slate-400"}>
              {step.done ? "✓" : "○"}
            </span>
            <span>
              <Link
                href={step.href}
                className={step.done ? "text-slate-600 line-through" : "font-medium text-blue-800 underline"}
              >
                {t(`steps.${step.key}`)}
              </Link>
              <span className="sr-only">{step.done ? t("done") : t("todo")}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
