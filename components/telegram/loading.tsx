"use client";
import { useTranslations } from "next-intl";

export function Loading() {
  const t = useTranslations("telegram");
  return (
    <p role="status" className="text-sm text-slate-600">
      {t("loading")}
    </p>
  );
}
