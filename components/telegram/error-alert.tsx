"use client";
import { useTranslations } from "next-intl";
import type { ShownError } from "./describe-error";
import { ui } from "./ui";

/** An error next to the control that failed; `id` lets the control point at it with aria-describedby. */
export function ErrorAlert({ id, error }: { id?: string; error: ShownError }) {
  const t = useTranslations("telegram");
  return (
    <div id={id} role="alert" className={ui.error}>
      <p>{error.message}</p>
      {error.detail && error.detail !== error.message ? (
        <p className="mt-1 text-xs text-red-800">
          {t("serverSaid")} <span lang="en">{error.detail}</span>
        </p>
      ) : null}
    </div>
  );
}
