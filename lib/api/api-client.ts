import type { z } from "zod";
import { apiErrorSchema, type ApiErrorCode, type ValidationIssue } from "@/lib/schemas/errors";

/**
 * An /api/v1 answer that was not 2xx. `code` says what kind of refusal it was (null when
 * the answer was not Leadgram's error body, e.g. a proxy's page); `detail` is the server's
 * sentence or 422 list, shown only as the server's own words, never matched against.
 */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | null,
    readonly detail: string | ValidationIssue[],
  ) {
    super(typeof detail === "string" ? detail : `Request failed with status ${status}`);
    this.name = "ApiClientError";
  }

  /** The issues of a 422, each with `loc` naming the field (`["body", "owner_chat_id"]`). */
  get issues(): ValidationIssue[] {
    return typeof this.detail === "string" ? [] : this.detail;
  }

  /** Whether a 422 refused this body field. */
  failedField(field: string): boolean {
    return this.issues.some((issue) => issue.loc[0] === "body" && issue.loc[1] === field);
  }

  /** The first human-readable message, for showing next to the control that failed. */
  get displayMessage(): string {
    if (typeof this.detail === "string") return this.detail;
    const first = this.detail[0];
    if (!first) return this.message;
    const field = first.loc.slice(1).join(".");
    return field ? `${field}: ${first.msg}` : first.msg;
  }
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

function errorOf(response: Response, payload: unknown): ApiClientError {
  const parsed = apiErrorSchema.safeParse(payload);
  if (parsed.success) return new ApiClientError(response.status, parsed.data.code, parsed.data.detail);
  // Not Leadgram's error body (a proxy's page), or a code newer than this bundle: no code, but
  // the server's sentence, when there is one, is still worth showing.
  const detail = (payload as { detail?: unknown } | null)?.detail;
  return new ApiClientError(response.status, null, typeof detail === "string" ? detail : response.statusText);
}

/** fetch for the browser: same-origin cookie session, JSON both ways, answers validated. */
export async function apiRequest<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw errorOf(response, payload);
  return schema.parse(payload);
}
