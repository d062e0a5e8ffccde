import { getTranslations } from "next-intl/server";
import { signOut } from "@/lib/auth/next-auth";

export async function SignOutButton() {
  const t = await getTranslations("app");
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/" });
      }}
    >
      <button className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">{t("signOut")}</button>
    </form>
  );
}
