import type { Locale } from "../locales";

/** One JSON file per namespace and locale, so each screen's texts live on their own. */
const NAMESPACES = ["app", "nav", "home", "auth", "dashboard", "demo", "telegram", "leads", "site", "ui"] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    NAMESPACES.map(async (namespace) => [namespace, (await import(`./${locale}/${namespace}.json`)).default] as const),
  );
  return Object.fromEntries(entries);
}
