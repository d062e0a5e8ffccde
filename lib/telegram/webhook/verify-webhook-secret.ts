import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison; hashing first makes the lengths equal without leaking them. */
export function webhookSecretMatches(expected: string, received: string | null): boolean {
  if (received === null) return false;
  return timingSafeEqual(digest(expected), digest(received));
}
