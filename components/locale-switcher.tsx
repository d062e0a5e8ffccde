import { getLocale, getTranslations } from "next-intl/server";
import { LOCALES } from "@/lib/i18n/locales";

export async function LocaleSwitcher() {
  const [current, t] = await Promise.all([getLocale(), getTranslations("app")]);
  return (
    <form method="post" action="/locale" className="flex items-center gap-1 text-sm" aria-label={t("language")}>
      {LOCALES.map((locale) => (
        <button
          key={locale}
          name="locale"
          value={locale}
          aria-pressed={locale === current}
          className="rounded px-2 py-1 uppercase text-slate-600 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-600 aria-pressed:bg-slate-800 aria-pressed:text-white"
        >
          {locale}
        </button>
      ))}
    </form>
  );
}
