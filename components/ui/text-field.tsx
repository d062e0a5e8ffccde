import type { ComponentProps, ReactNode } from "react";
import type { ShownError } from "./describe-error";
import { ErrorAlert } from "./error-alert";
import { ui } from "./styles";

type FieldProps = { id: string; label: string; hint?: ReactNode; error?: ShownError | string | null };

/** Ids of the hint and error, joined for aria-describedby. */
function describedBy({ id, hint, error }: FieldProps): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function Field({ field, children }: { field: FieldProps; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={field.id} className={ui.label}>
        {field.label}
      </label>
      {children}
      {field.hint ? (
        <p id={`${field.id}-hint`} className={ui.hint}>
          {field.hint}
        </p>
      ) : null}
      <ErrorAlert id={`${field.id}-error`} error={field.error} />
    </div>
  );
}

/** A labelled input whose hint and error are announced with it (aria-describedby, aria-invalid). */
export function TextField({ id, label, hint, error, ...input }: FieldProps & ComponentProps<"input">) {
  const field = { id, label, hint, error };
  return (
    <Field field={field}>
      <input
        id={id}
        aria-describedby={describedBy(field)}
        aria-invalid={error ? true : undefined}
        className={ui.input}
        {...input}
      />
    </Field>
  );
}

export function TextAreaField({ id, label, hint, error, ...textarea }: FieldProps & ComponentProps<"textarea">) {
  const field = { id, label, hint, error };
  return (
    <Field field={field}>
      <textarea
        id={id}
        aria-describedby={describedBy(field)}
        aria-invalid={error ? true : undefined}
        className={ui.input}
        {...textarea}
      />
    </Field>
  );
}
