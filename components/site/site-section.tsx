"use client";
import { useTranslations } from "next-intl";
import { useTenant } from "@/hooks/use-tenant";
import { QueryState } from "@/components/ui/query-state";
import { OnlyMembersMayPress } from "./only-members-may-press";
import { SettingsSection } from "./settings-section";
import { SiteKey } from "./site-key";
import { SiteNameForm } from "./site-name-form";

export function SiteSection() {
  const t = useTranslations("site");
  const tenant = useTenant();
  return (
    <SettingsSection id="site" title={t("site.heading")}>
      <QueryState query={tenant}>
        {(data) => (
          <div className="space-y-5">
            <SiteNameForm name={data.name} />
            <SiteKey siteKey={data.site_key} />
            <OnlyMembersMayPress enabled={data.only_members_may_press} />
          </div>
        )}
      </QueryState>
    </SettingsSection>
  );
}
