"use client";
import { useEffect, useRef } from "react";
import { dangerSolidButton, secondaryButton } from "./styles";

type Props = {
  /** Prefix of the question's element id, unique on the page. */
  id: string;
  question: string;
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
      className="space-y-2 rounded border border-red-200 bg-red-50 p-3"
    >
      <p id={`${id}-question`} className="text-sm text-red-900">
        {question}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={dangerSolidButton} disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
        <button type="button" ref={cancelRef} className={secondaryButton} disabled={pending} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
