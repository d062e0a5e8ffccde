import { getTranslations } from "next-intl/server";
import { ui } from "@/components/ui/styles";

export async function SignOutButton() {
  const t = await getTranslations("app");
  return (
    <form method="post" action="/sign-out">
      <button className={ui.secondaryButton}>{t("signOut")}</button>
    </form>
  );
}
