"use client";
import { useTranslations } from "next-intl";
import type { ShownError } from "./describe-error";
import { ui } from "./styles";

/**
 * A failure next to what failed, announced as it appears; nothing when there is none. `id`
 * lets the control point at it with aria-describedby.
 */
export function ErrorAlert({ id, error }: { id?: string; error: ShownError | string | null | undefined }) {
  const t = useTranslations("ui");
  if (!error) return null;
  const shown = typeof error === "string" ? { message: error, detail: null } : error;
  return (
    <div id={id} role="alert" className={ui.error}>
      <p>{shown.message}</p>
      {shown.detail && shown.detail !== shown.message ? (
        <p className="mt-1 text-xs text-red-800">
          {t("serverSaid")} <span lang="en">{shown.detail}</span>
        </p>
      ) : null}
    </div>
  );
}
