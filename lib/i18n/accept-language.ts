import { qualityValues } from "@/lib/http/quality-values";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "./locales";

/**
 * The visitor's language for Leadgram's public pages (a site's visitors never chose one
 * here): the supported locale the browser's Accept-Language ranks highest, Russian when
 * it names neither.
 */
export function localeFromAcceptLanguage(header: string | null): Locale {
  let best: { locale: Locale; quality: number } | undefined;
  for (const { range, quality } of qualityValues(header)) {
    const locale = LOCALES.find((candidate) => range === candidate || range.startsWith(`${candidate}-`));
    if (locale && quality > 0 && (!best || quality > best.quality)) best = { locale, quality };
  }
  return best?.locale ?? DEFAULT_LOCALE;
}
