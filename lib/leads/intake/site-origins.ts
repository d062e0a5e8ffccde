import "server-only";
import { httpUrl } from "@/lib/http/http-url";

/**
 * An empty allowed-origins list means any origin may post (the contract's default).
 * Leadgram's own pages (the demo form) are same-origin and always allowed.
 */
export function originAllowed(allowedOrigins: string[], origin: string | null, ownOrigins: string[]): boolean {
  if (origin === null || allowedOrigins.length === 0 || ownOrigins.includes(origin)) return true;
  return allowedOrigins.includes(origin);
}

/** Retry-After is exposed so a form's script can wait as long as a 429 asks before retrying. */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After", Vary: "Origin" };
}

export const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Accept, Idempotency-Key",
  "Access-Control-Max-Age": "86400",
};

/** Where a plain HTML form's `_redirect` sends the visitor after the lead is stored. */
export type RedirectDecision =
  { kind: "none" } | { kind: "allowed"; url: string } | { kind: "refused"; target: string };

/**
 * A refused target is stored with its lead and shown to the owner: more than a real
 * thank-you page's address needs, and short enough that a form cannot fill the owner's
 * notice (or a row) with a field's 20,000 characters.
 */
const MAX_REFUSED_REDIRECT_CHARS = 500;

function shortened(target: string): string {
  // By code points, so an emoji is never cut in half.
  const chars = Array.from(target);
  return chars.length <= MAX_REFUSED_REDIRECT_CHARS
    ? target
    : `${chars.slice(0, MAX_REFUSED_REDIRECT_CHARS - 1).join("")}…`;
}

/**
 * `_redirect` sends a plain HTML form back to the site after submitting. Only absolute
 * http(s) URLs on the site's allowed origins (or Leadgram's own) qualify, so the endpoint
 * can never bounce visitors elsewhere (an open redirect). Anything else is refused, not
 * fatal: the lead is still stored and the visitor goes to Leadgram's thank-you page.
 */
export function decideRedirect(
  allowedOrigins: string[],
  redirect: string | undefined,
  ownOrigins: string[],
): RedirectDecision {
  // Control characters have no place in a URL, and PostgreSQL text cannot hold NUL.
  const target = (redirect ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (target === "") return { kind: "none" };
  const url = httpUrl(target);
  if (url && (ownOrigins.includes(url.origin) || allowedOrigins.includes(url.origin)))
    return { kind: "allowed", url: url.toString() };
  return { kind: "refused", target: shortened(target) };
}
