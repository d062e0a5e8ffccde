"use client";
import { useTranslations } from "next-intl";
import { useTenant } from "@/hooks/use-tenant";
import { EmbedCode } from "./embed-code";
import { QueryState } from "@/components/ui/query-state";
import { SettingsSection } from "./settings-section";

export function EmbedSection() {
  const t = useTranslations("site");
  const tenant = useTenant();
  return (
    <SettingsSection id="embed" title={t("embed.heading")} description={t("embed.description")}>
      <QueryState query={tenant}>{(data) => <EmbedCode tenant={data} />}</QueryState>
    </SettingsSection>
  );
}
