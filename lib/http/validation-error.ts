import type { z } from "zod";

/** One entry of FastAPI's 422 `detail` list, the shape the original backend answered with. */
export type ValidationIssue = { loc: (string | number)[]; msg: string; type: string };

export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super("Request validation failed");
    this.name = "RequestValidationError";
  }

  static fromZod(error: z.ZodError, location: "body" | "query" | "path"): RequestValidationError {
    return new RequestValidationError(
      error.issues.map((issue) => {
        const missing = issue.code === "invalid_type" && issue.input === undefined;
        return {
          loc: [location, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))],
          msg: missing ? "Field required" : issue.message,
          type: missing ? "missing" : issue.code,
        };
      }),
    );
  }
}
