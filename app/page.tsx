import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ui } from "@/components/ui/styles";
import { currentMember } from "@/lib/auth/current-member";

export default async function HomePage() {
  if (await currentMember()) redirect("/dashboard");
  const t = await getTranslations("home");
  return (
    <section className="space-y-6 py-12 text-center">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mx-auto max-w-xl text-slate-600">{t("lead")}</p>
      <div className="flex justify-center gap-3">
        <Link href="/sign-up" className={ui.primaryButton}>
          {t("signUp")}
        </Link>
        <Link href="/sign-in" className={ui.secondaryButton}>
          {t("signIn")}
        </Link>
      </div>
    </section>
  );
}
