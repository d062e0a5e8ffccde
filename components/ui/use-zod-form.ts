"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import {
  useForm,
  type FieldError,
  type FieldValues,
  type Path,
  type UseFormProps,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { ApiClientError } from "@/lib/api/api-client";
import type { ShownError } from "./describe-error";

/** The error type of words that came from the server (or describe a failed request): shown as they are. */
const SERVER_ERROR = "server";

/**
 * A form checked in the browser by the same zod schema the server parses its request with,
 * so the two cannot disagree about what is valid. Field names are the request's, so a 422's
 * `loc` names the field directly. (react-hook-form keeps the values, errors and focus, in
 * place of a useState per field.)
 */
export function useZodForm<Input extends FieldValues, Output extends FieldValues>(
  schema: z.ZodType<Output, Input>,
  options: Omit<UseFormProps<Input, unknown, Output>, "resolver">,
): UseFormReturn<Input, unknown, Output> {
  return useForm<Input, unknown, Output>({ ...options, resolver: zodResolver(schema) });
}

/** Shows a failed request's words under one field, with the server's own beside them, and focuses it. */
export function setServerError<Input extends FieldValues, Output extends FieldValues>(
  form: UseFormReturn<Input, unknown, Output>,
  field: Path<Input>,
  shown: ShownError,
): void {
  form.setError(
    field,
    { type: SERVER_ERROR, message: shown.message, types: shown.detail ? { detail: shown.detail } : undefined },
    { shouldFocus: true },
  );
}

/**
 * Puts each issue of a 422 on the field its `loc` names (in the server's words) and focuses
 * the first; answers false when the error names none of the given fields.
 */
export function showServerIssues<Input extends FieldValues, Output extends FieldValues>(
  form: UseFormReturn<Input, unknown, Output>,
  error: unknown,
  fields: readonly Path<Input>[],
): boolean {
  if (!(error instanceof ApiClientError) || error.code !== "validation_error") return false;
  const named = error.issues.filter((issue) => issue.loc[0] === "body" && fields.includes(issue.loc[1] as Path<Input>));
  named.forEach((issue, index) =>
    form.setError(
      issue.loc[1] as Path<Input>,
      { type: SERVER_ERROR, message: issue.msg },
      { shouldFocus: index === 0 },
    ),
  );
  return named.length > 0;
}

/**
 * What to show for a field's error: what the server said, or the form's own text for the
 * kind of failure (a zod issue code such as `too_small`, or a type the form set itself), or
 * its `default`. zod's own messages are English and only the last resort.
 */
export function fieldErrorText(error: FieldError | undefined, texts: Record<string, string>): ShownError | null {
  if (!error) return null;
  if (error.type === SERVER_ERROR) {
    const detail = error.types?.detail;
    return { message: error.message ?? "", detail: typeof detail === "string" ? detail : null };
  }
  const message = texts[error.type] ?? texts.default ?? error.message;
  return message ? { message, detail: null } : null;
}
