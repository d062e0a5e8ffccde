import { getTranslations } from "next-intl/server";

export async function SignOutButton() {
  const t = await getTranslations("app");
  return (
    <form method="post" action="/sign-out">
      <button className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">{t("signOut")}</button>
    </form>
  );
}
