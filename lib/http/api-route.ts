import "server-only";
import { isRecordNotFound, isUniqueViolation } from "@/lib/db/prisma-errors";
import { log } from "@/lib/log";
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

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return json({ detail: error.detail }, error.status, error.headers);
  if (error instanceof RequestValidationError) return json({ detail: error.issues }, 422);
  if (isUniqueViolation(error)) return json({ detail: "Already exists" }, 409);
  if (isRecordNotFound(error)) return json({ detail: "Not Found" }, 404);
  log.error({ err: error }, "unhandled error in API route");
  return json({ detail: "Internal Server Error" }, 500);
}

/** Wraps a handler so every failure leaves as the contract's `{"detail": ...}` answer. */
export function apiRoute(handler: RouteHandler): RouteHandler {
  return async (req, context) => {
    try {
      return await handler(req, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
