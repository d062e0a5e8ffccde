"use client";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";
import { useDeleteTelegramIntegration } from "@/hooks/use-telegram-integration";
import { focusLater, SETUP_TITLE_ID } from "./focus-later";

/** "Удалить интеграцию" → "Точно удалить?" with confirm/cancel, in place (no window.confirm). */
export function DeleteIntegration() {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const remove = useDeleteTelegramIntegration();
  const [confirming, setConfirming] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);

  return (
    <div className={ui.block}>
      {confirming ? (
        <ConfirmPanel
          id="telegram-delete"
          question={t("remove.question")}
          explanation={t("remove.explain")}
          confirmLabel={t("remove.confirm")}
          pendingLabel={t("remove.deleting")}
          cancelLabel={t("cancel")}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(undefined, { onSuccess: () => focusLater(SETUP_TITLE_ID) })}
          onCancel={() => {
            setConfirming(false);
            // Back to the button that opened the question, once it is in the page again.
            requestAnimationFrame(() => triggerRef.current?.focus());
          }}
        />
      ) : (
        <button ref={triggerRef} type="button" onClick={() => setConfirming(true)} className={ui.dangerButton}>
          {t("remove.button")}
        </button>
      )}
      {remove.isError ? <ErrorAlert error={describe(remove.error, { fallback: t("remove.error") })} /> : null}
    </div>
  );
}
