import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { httpUrl } from "@/lib/http/http-url";
import { localeFromAcceptLanguage } from "@/lib/i18n/accept-language";
import { LOCALE_COOKIE, toLocale } from "@/lib/i18n/locales";
import { visitorTranslator } from "@/lib/i18n/visitor-translator";

/** A site's visitor never chose a language here: the browser's, unless they switch on this page. */
async function visitorLocale() {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return chosen ? toLocale(chosen) : localeFromAcceptLanguage((await headers()).get("accept-language"));
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: visitorTranslator(await visitorLocale())("thanks.title") };
}

/**
 * Where a visitor lands after a lead is stored when their form named no page to return to,
 * or one the site does not allow (lib/leads/intake/submit-lead.ts). The way back is the
 * page they came from, as a link they choose to follow: never a redirect.
 */
export default async function ThanksPage() {
  const locale = await visitorLocale();
  const t = visitorTranslator(locale);
  const requestHeaders = await headers();
  const referer = httpUrl(requestHeaders.get("referer"));
  // Leadgram's own pages (this one, after a language switch) are not the visitor's site.
  const back = referer && referer.host !== requestHeaders.get("host") ? referer.toString() : null;
  return (
    <section
      lang={locale}
      className="mx-auto max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-6 text-center"
    >
      <h1 className="text-2xl font-semibold">{t("thanks.title")}</h1>
      <p className="text-slate-700">{t("thanks.text")}</p>
      {back ? (
        <p>
          <a href={back} className="font-medium text-blue-800 underline underline-offset-2">
            {t("thanks.back")}
          </a>
        </p>
      ) : null}
    </section>
  );
}
