"use client";
import type { FormEvent, ReactNode } from "react";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";

/** A site setting edited in place: one field with its button beside it, and what was saved below. */
export function OneFieldForm(props: {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  field: ReactNode;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  done: string | null;
}) {
  return (
    <form onSubmit={props.onSubmit} noValidate className="space-y-2">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <div className="flex-1">{props.field}</div>
        <button type="submit" disabled={props.busy} className={`${ui.primaryButton} sm:mt-6`}>
          {props.busy ? props.busyLabel : props.submitLabel}
        </button>
      </div>
      <StatusLine message={props.done} />
    </form>
  );
}
