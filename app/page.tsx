import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentMember } from "@/lib/auth/current-member";

export default async function HomePage() {
  if (await currentMember()) redirect("/dashboard");
  const t = await getTranslations("home");
  return (
    <section className="space-y-6 py-12 text-center">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mx-auto max-w-xl text-slate-600">{t("lead")}</p>
      <div className="flex justify-center gap-3">
        <Link href="/sign-up" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
          {t("signUp")}
        </Link>
        <Link
          href="/sign-in"
          className="rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100"
        >
          {t("signIn")}
        </Link>
      </div>
    </section>
  );
}
