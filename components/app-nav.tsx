"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/dashboard", key: "overview", managersOnly: false },
  { href: "/leads", key: "leads", managersOnly: false },
  { href: "/settings/notifications/telegram", key: "telegram", managersOnly: true },
  // Every role changes their own password and sessions there.
  { href: "/settings/site", key: "site", managersOnly: false },
] as const;

/** Members (read-only role) see only what they may open. */
export function AppNav({ canManage }: { canManage: boolean }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")}>
      <ul className="flex flex-wrap gap-1">
        {LINKS.filter((link) => canManage || !link.managersOnly).map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className="block rounded px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-600 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
              >
                {t(link.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
