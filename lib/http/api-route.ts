import "server-only";
import { isRecordNotFound, isUniqueViolation } from "@/lib/db/prisma-errors";
import { log } from "@/lib/log";
import type { ApiErrorBody, ApiErrorCode } from "@/lib/schemas/errors";
import { ApiError } from "./api-error";
import { RequestValidationError } from "./validation-error";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (req: Request, context: RouteContext) => Promise<Response>;

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return Response.json(body, { status, headers });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** The contract's `{"detail": ...}` error body, with the stable `code` clients branch on. */
export function errorJson(
  status: number,
  code: ApiErrorCode,
  detail: ApiErrorBody["detail"],
  headers: HeadersInit = {},
): Response {
  return json({ detail, code } satisfies ApiErrorBody, status, headers);
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return errorJson(error.status, error.code, error.detail, error.headers);
  if (error instanceof RequestValidationError) return errorJson(422, "validation_error", error.issues);
  if (isUniqueViolation(error)) return errorJson(409, "conflict", "Already exists");
  if (isRecordNotFound(error)) return errorJson(404, "not_found", "Not Found");
  log.error({ err: error }, "unhandled error in API route");
  return errorJson(500, "internal_error", "Internal Server Error");
}

/** Wraps a handler so every failure leaves as the contract's `{"detail": ...}` answer with its `code`. */
export function apiRoute(handler: RouteHandler): RouteHandler {
  return async (req, context) => {
    try {
      return await handler(req, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
