"use client";
import { CopyButton } from "./copy-button";

/** A read-only value the owner copies into their site: a term, the value in code, a copy button. */
export function CopyableValue({
  term,
  value,
  copyLabel,
  testId,
  hint,
}: {
  term: string;
  value: string;
  copyLabel: string;
  testId: string;
  hint?: string;
}) {
  return (
    <dl className="space-y-1">
      <dt className="text-sm font-medium text-slate-800">{term}</dt>
      <dd className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm">
          {value}
        </code>
        <CopyButton text={value} label={copyLabel} />
      </dd>
      {hint ? <dd className="text-xs text-slate-600">{hint}</dd> : null}
    </dl>
  );
}
