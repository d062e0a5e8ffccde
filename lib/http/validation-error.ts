import type { z } from "zod";

import type { ValidationIssue } from "@/lib/schemas/errors";

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
