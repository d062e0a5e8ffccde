import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";
import { ui } from "./styles";

/** A titled, scrollable (and keyboard-scrollable) block of code with a copy button. */
export function CodeBlock({
  id,
  title,
  description,
  code,
  copyLabel,
  codeLabel,
}: {
  id: string;
  title: string;
  description: ReactNode;
  code: string;
  copyLabel: string;
  codeLabel: string;
}) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`${id}-heading`} className="font-semibold">
          {title}
        </h3>
        <CopyButton text={code} label={copyLabel} />
      </div>
      <p className={ui.muted}>{description}</p>
      <pre
        data-testid={id}
        tabIndex={0}
        aria-label={codeLabel}
        className={`max-h-96 overflow-auto rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100 ${ui.focus}`}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
