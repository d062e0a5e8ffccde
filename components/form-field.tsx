import type { InputHTMLAttributes } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; name: string };

export function FormField({ label, hint, name, ...input }: Props) {
  const hintId = hint ? `${name}-hint` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={name}
        name={name}
        aria-describedby={hintId}
        className="block w-full rounded border border-slate-300 bg-white px-3 py-2 focus:border-blue-600 focus:outline-2 focus:outline-blue-600"
        {...input}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
