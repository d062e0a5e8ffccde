import "server-only";
import { ApiError } from "@/lib/http/api-error";
import { RequestValidationError } from "@/lib/http/validation-error";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_FIELDS = 50;
export const MAX_FIELD_NAME_LENGTH = 100;
export const MAX_FIELD_VALUE_LENGTH = 20_000;

export type SubmittedFields = Map<string, string>;

// The rest of the body is left unread: closing the connection keeps the client from sending
// its next request on a socket that is still full of this one.
const tooLarge = () =>
  new ApiError(413, "payload_too_large", `Request body is larger than ${MAX_BODY_BYTES / 1024} KiB`, {
    Connection: "close",
  });

/** Reads at most MAX_BODY_BYTES, refusing early by Content-Length and while streaming. */
async function readCapped(req: Request): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function fieldError(field: string, msg: string, type: string): RequestValidationError {
  return new RequestValidationError([{ loc: ["body", field], msg, type }]);
}

function scalarToString(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw fieldError(field, "Input should be a string, number or boolean", "string_type");
}

function fromJson(bytes: Uint8Array): [string, string][] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RequestValidationError([{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }]);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RequestValidationError([{ loc: ["body"], msg: "Input should be a JSON object", type: "dict_type" }]);
  }
  return Object.entries(body).flatMap(([key, value]) => {
    const text = scalarToString(key, value);
    return text === null ? [] : [[key, text] as [string, string]];
  });
}

async function fromMultipart(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<[string, string][]> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new ApiError(400, "bad_request", "Malformed multipart/form-data body");
  }
  // Files are not stored: a lead is text. Their fields are dropped, not refused, so a form
  // with an optional attachment still delivers its lead.
  return [...form.entries()].flatMap(([key, value]) =>
    typeof value === "string" ? [[key, value] as [string, string]] : [],
  );
}

/**
 * A form submission as ordered name → value pairs, from JSON, urlencoded or multipart
 * bodies. Repeated names (checkbox groups) are joined with ", ".
 */
export async function readSubmission(req: Request): Promise<SubmittedFields> {
  const contentType = req.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const bytes = await readCapped(req);

  let entries: [string, string][];
  if (mediaType === "application/json") entries = fromJson(bytes);
  else if (mediaType === "application/x-www-form-urlencoded")
    entries = [...new URLSearchParams(new TextDecoder().decode(bytes))];
  else if (mediaType === "multipart/form-data") entries = await fromMultipart(bytes, contentType);
  else
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Send application/json, application/x-www-form-urlencoded or multipart/form-data",
    );

  const fields: SubmittedFields = new Map();
  for (const [name, value] of entries) {
    if (name.length > MAX_FIELD_NAME_LENGTH)
      throw fieldError(
        name.slice(0, 40),
        `Field names may have at most ${MAX_FIELD_NAME_LENGTH} characters`,
        "string_too_long",
      );
    if (value.length > MAX_FIELD_VALUE_LENGTH)
      throw fieldError(name, `String should have at most ${MAX_FIELD_VALUE_LENGTH} characters`, "string_too_long");
    const previous = fields.get(name);
    fields.set(name, previous === undefined ? value : `${previous}, ${value}`);
    if (fields.size > MAX_FIELDS)
      throw new RequestValidationError([
        { loc: ["body"], msg: `A submission may have at most ${MAX_FIELDS} fields`, type: "too_many_fields" },
      ]);
  }
  return fields;
}
