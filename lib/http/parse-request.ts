import type { z } from "zod";
import { RequestValidationError } from "./validation-error";

/** Reads a JSON body and validates it; broken JSON is a 422 like any other bad input. */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const text = await req.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new RequestValidationError([{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }]);
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw RequestValidationError.fromZod(parsed.error, "body");
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw RequestValidationError.fromZod(parsed.error, "query");
  return parsed.data;
}
