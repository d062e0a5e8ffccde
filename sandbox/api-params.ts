import type { IncomingMessage } from "node:http";
import { BotApiError, badRequest } from "./bot-api-error";

/**
 * Bot API parameters the way telegram-bot-api sees them: every value is a string, whether it
 * came from the query string, a form body or JSON (where non-string values are re-encoded).
 */
export class ApiParams {
  constructor(private readonly values: Map<string, string>) {}

  static fromRecord(record: Record<string, unknown>): ApiParams {
    const values = new Map<string, string>();
    for (const [key, value] of Object.entries(record)) {
      if (value === null || value === undefined) {
        continue;
      }
      values.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    return new ApiParams(values);
  }

  /** The raw value, "" when absent (Telegram doesn't distinguish the two). */
  get(name: string): string {
    return this.values.get(name) ?? "";
  }

  /** Telegram's to_bool: "true", "yes" or "1", case-insensitive. */
  bool(name: string): boolean {
    const value = this.get(name).trim().toLowerCase();
    return value === "true" || value === "yes" || value === "1";
  }

  /** Telegram's get_integer_arg: missing or unparsable means the default; the result is clamped. */
  integer(name: string, defaultValue: number, min: number, max: number): number {
    const match = /^\s*(-?\d+)/.exec(this.get(name));
    const value = match?.[1] === undefined ? defaultValue : Number(match[1]);
    return Math.min(max, Math.max(min, value));
  }

  /** Parses a JSON-encoded parameter; undefined when absent, the error when it doesn't parse. */
  json(name: string, errorMessage: string): unknown {
    const raw = this.get(name);
    if (raw === "") {
      return undefined;
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw badRequest(errorMessage);
    }
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new BotApiError(413, "Request Entity Too Large");
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Merges query-string and body parameters (JSON or urlencoded), body winning. */
export function parseApiParams(searchParams: URLSearchParams, contentType: string, body: Buffer): ApiParams {
  const values = new Map<string, string>(searchParams);
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (body.length > 0 && type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("JSON object expected");
    }
    for (const [key, value] of Object.entries(ApiParams.fromRecord(parsed as Record<string, unknown>).toRecord())) {
      values.set(key, value);
    }
  } else if (body.length > 0 && type === "application/x-www-form-urlencoded") {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) {
      values.set(key, value);
    }
  } else if (body.length > 0 && type === "multipart/form-data") {
    // grammY only switches to multipart for file uploads, which no supported method takes.
    throw badRequest("multipart/form-data is not supported by the sandbox");
  }
  return new ApiParams(values);
}
