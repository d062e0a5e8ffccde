"use client";
import { useTranslations } from "next-intl";
import { ui } from "@/components/ui/styles";

/** Telegram's 403 "bot was blocked by the user": what the owner has to do about it. */
export function BlockedWarning() {
  const t = useTranslations("telegram.warning");
  return (
    <div role="alert" className={ui.warning}>
      <p className="font-semibold">⚠️ {t("blockedTitle")}</p>
      <p className="mt-1">{t("blockedText")}</p>
    </div>
  );
}
