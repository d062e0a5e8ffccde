import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { canManage, currentMember } from "@/lib/auth/current-member";
import { ui } from "@/components/ui/styles";

/** Settings pages: a member gets an explanation instead of controls they may not use. */
export async function ManagersOnly({ children }: { children: ReactNode }) {
  const member = await currentMember();
  if (!member || !canManage(member.role)) {
    const t = await getTranslations("nav");
    return (
      <p role="alert" className={ui.warning}>
        {t("forbidden")}
      </p>
    );
  }
  return children;
}
