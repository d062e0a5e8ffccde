import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ManagersOnly } from "@/components/managers-only";
import { AccountSection } from "@/components/site/account-section";
import { SiteSettings } from "@/components/site/site-settings";
import { currentMember } from "@/lib/auth/current-member";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("site");
  return { title: t("title") };
}

/**
 * Site settings: name and key, allowed origins, embed code, team, API tokens for managers;
 * the user's own password and sessions for every role.
 */
export default async function SiteSettingsPage() {
  const [member, t] = await Promise.all([currentMember(), getTranslations("site")]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <ManagersOnly>
        <p className="text-sm text-slate-600">{t("intro")}</p>
        {member ? <SiteSettings role={member.role} email={member.email} /> : null}
      </ManagersOnly>
      {member ? <AccountSection email={member.email} /> : null}
    </div>
  );
}
