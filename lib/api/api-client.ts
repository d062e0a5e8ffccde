import type { z } from "zod";

/** An /api/v1 answer that was not 2xx; `detail` is the server's sentence or 422 list. */
export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === "string" ? detail : `Request failed with status ${status}`);
    this.name = "ApiClientError";
  }

  /** The first human-readable message, for showing next to the control that failed. */
  get displayMessage(): string {
    if (typeof this.detail === "string") return this.detail;
    if (Array.isArray(this.detail)) {
      const first = this.detail[0] as { msg?: unknown; loc?: unknown[] } | undefined;
      if (first && typeof first.msg === "string") {
        const field = first.loc?.slice(1).join(".");
        return field ? `${field}: ${first.msg}` : first.msg;
      }
    }
    return this.message;
  }
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** fetch for the browser: same-origin cookie session, JSON both ways, answers validated. */
export async function apiRequest<S extends z.ZodType>(method: Method, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (payload as { detail?: unknown } | null)?.detail;
    throw new ApiClientError(response.status, detail ?? response.statusText);
  }
  return schema.parse(payload);
}
