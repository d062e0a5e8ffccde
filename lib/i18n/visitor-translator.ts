import { createTranslator } from "next-intl";
import type { Locale } from "./locales";
import en from "./messages/en/visitor.json";
import ru from "./messages/ru/visitor.json";

const CATALOGS: Record<Locale, typeof ru> = { ru, en };

/**
 * Texts for a site's visitors (the thank-you page, refused form posts), in a locale the
 * caller takes from the visitor's browser: they never chose one on Leadgram, and the
 * app's catalogs are loaded by the locale cookie.
 */
export function visitorTranslator(locale: Locale) {
  return createTranslator({ locale, messages: { visitor: CATALOGS[locale] }, namespace: "visitor" });
}
