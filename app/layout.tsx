import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { Providers } from "@/components/providers";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: t("name"), description: t("tagline") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <NextIntlClientProvider>
          <Providers>
            <header className="border-b border-slate-200 bg-white">
              <div className="mx-auto flex max-w-4xl items-center justify-between gap-4 px-4 py-3">
                <Link href="/" className="text-lg font-semibold text-slate-900">
                  Leadgram
                </Link>
                <LocaleSwitcher />
              </div>
            </header>
            <main className="mx-auto max-w-4xl px-4 py-8">{children}</main>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
