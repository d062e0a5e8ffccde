import type { ApiErrorCode } from "@/lib/schemas/errors";

/** The one error type route code throws; lib/http/api-route.ts turns it into `{"detail": ..., "code": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }

  static notAuthenticated(): ApiError {
    return new ApiError(401, "not_authenticated", "Not authenticated", { "WWW-Authenticate": "Bearer" });
  }

  static forbidden(detail = "Not enough permissions", code: ApiErrorCode = "forbidden"): ApiError {
    return new ApiError(403, code, detail);
  }

  static notFound(detail = "Not Found"): ApiError {
    return new ApiError(404, "not_found", detail);
  }

  static tooManyRequests(retryAfterSeconds: number): ApiError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError(429, "rate_limited", "Too many requests, try again later", { "Retry-After": String(seconds) });
  }
}
