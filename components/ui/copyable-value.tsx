"use client";
import { CopyButton } from "./copy-button";
import { ui } from "./styles";

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
      <dt className={ui.label}>{term}</dt>
      <dd className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className={ui.code}>
          {value}
        </code>
        <CopyButton text={value} label={copyLabel} />
      </dd>
      {hint ? <dd className={ui.hint}>{hint}</dd> : null}
    </dl>
  );
}
