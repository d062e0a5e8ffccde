import type { InputHTMLAttributes, ReactNode, Ref, TextareaHTMLAttributes } from "react";
import { ui } from "./ui";

type Common = { id: string; label: string; hint?: ReactNode; error?: ReactNode };

/** Ids of the hint and error, joined for aria-describedby. */
function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function Messages({ id, hint, error }: Pick<Common, "id" | "hint" | "error">) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? <div id={`${id}-error`}>{error}</div> : null}
    </>
  );
}

/** A labelled input whose hint and error are linked to it (aria-describedby, aria-invalid). */
export function TextField({ id, label, hint, error, inputRef, ...input }: Common & InputHTMLAttributes<HTMLInputElement> & { inputRef?: Ref<HTMLInputElement> }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input ref={inputRef} id={id} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} className={ui.input} {...input} />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextAreaField({ id, label, hint, error, ...textarea }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea id={id} aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} className={ui.input} {...textarea} />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}
