"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useTenant } from "@/hooks/use-tenant";
import { AddOriginForm } from "./add-origin-form";
import { OriginList } from "./origin-list";
import { QueryState } from "@/components/ui/query-state";
import { SettingsSection } from "./settings-section";

export function OriginsSection() {
  const t = useTranslations("site");
  const tenant = useTenant();
  const code = (chunks: ReactNode) => <code className="rounded bg-slate-100 px-1 font-mono text-xs">{chunks}</code>;
  return (
    <SettingsSection id="origins" title={t("origins.heading")} description={t.rich("origins.description", { code })}>
      <QueryState query={tenant}>
        {(data) => (
          <div className="space-y-4">
            <OriginList origins={data.allowed_origins} />
            <AddOriginForm origins={data.allowed_origins} />
          </div>
        )}
      </QueryState>
    </SettingsSection>
  );
}
