"use client";
import { useEffect, useRef } from "react";
import { ui } from "./styles";

type Props = {
  /** Prefix of the question's element id, unique on the page. */
  id: string;
  question: string;
  /** What confirming does, when the question alone does not say it. */
  explanation?: string;
  confirmLabel: string;
  pendingLabel: string;
  cancelLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

/**
 * The in-place "are you sure?" step of a destructive action (no window.confirm). Focus lands
 * on Cancel when it appears, so a stray Enter never confirms.
 */
export function ConfirmPanel({
  id,
  question,
  explanation,
  confirmLabel,
  pendingLabel,
  cancelLabel,
  pending,
  onConfirm,
  onCancel,
}: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      role="group"
      aria-labelledby={`${id}-question`}
      aria-describedby={explanation ? `${id}-explanation` : undefined}
      className="space-y-2 rounded border border-red-200 bg-red-50 p-3"
    >
      <p id={`${id}-question`} className="font-semibold text-red-900">
        {question}
      </p>
      {explanation ? (
        <p id={`${id}-explanation`} className="text-sm text-red-900">
          {explanation}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={ui.dangerSolidButton} disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" ref={cancelRef} className={ui.secondaryButton} disabled={pending} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
