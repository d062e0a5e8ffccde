/** The one error type route code throws; lib/http/api-route.ts turns it into `{"detail": ...}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }

  static notAuthenticated(): ApiError {
    return new ApiError(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
  }

  static forbidden(detail = "Not enough permissions"): ApiError {
    return new ApiError(403, detail);
  }

  static notFound(detail = "Not Found"): ApiError {
    return new ApiError(404, detail);
  }

  static tooManyRequests(retryAfterSeconds: number): ApiError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError(429, "Too many requests, try again later", { "Retry-After": String(seconds) });
  }
}
