"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useDeleteTelegramIntegration } from "@/hooks/use-telegram-integration";
import { useDescribeError } from "./describe-error";
import { ErrorAlert } from "./error-alert";
import { focusLater, SETUP_TITLE_ID } from "./focus-later";
import { ui } from "./ui";

/** "Удалить интеграцию" → "Точно удалить?" with confirm/cancel, in place (no window.confirm). */
export function DeleteIntegration() {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const remove = useDeleteTelegramIntegration();
  const [confirming, setConfirming] = useState(false);
  const wasOpen = useRef(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Focus follows the step: into the question when it opens, back to the trigger on cancel.
    if (confirming) cancelRef.current?.focus();
    else if (wasOpen.current) triggerRef.current?.focus();
    wasOpen.current = confirming;
  }, [confirming]);

  return (
    <div className={ui.block}>
      {confirming ? (
        <div
          role="group"
          aria-labelledby="telegram-delete-question"
          aria-describedby="telegram-delete-explain"
          className="space-y-2 rounded border border-red-300 bg-red-50 p-3"
        >
          <p id="telegram-delete-question" className="font-semibold text-red-900">
            {t("remove.question")}
          </p>
          <p id="telegram-delete-explain" className="text-sm text-red-900">
            {t("remove.explain")}
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              aria-disabled={remove.isPending || undefined}
              onClick={() => {
                if (!remove.isPending) remove.mutate(undefined, { onSuccess: () => focusLater(SETUP_TITLE_ID) });
              }}
              className={ui.dangerSolidButton}
            >
              {remove.isPending ? t("remove.deleting") : t("remove.confirm")}
            </button>
            <button ref={cancelRef} type="button" onClick={() => setConfirming(false)} className={ui.secondaryButton}>
              {t("cancel")}
            </button>
          </div>
        </div>
      ) : (
        <button ref={triggerRef} type="button" onClick={() => setConfirming(true)} className={ui.dangerButton}>
          {t("remove.button")}
        </button>
      )}
      {remove.isError ? <ErrorAlert error={describe(remove.error, t("remove.error"))} /> : null}
    </div>
  );
}
