import "server-only";
import { ApiError } from "@/lib/http/api-error";

/**
 * An empty allowed-origins list means any origin may post (the contract's default).
 * Leadgram's own pages (the demo form) are same-origin and always allowed.
 */
export function originAllowed(allowedOrigins: string[], origin: string | null, ownOrigins: string[]): boolean {
  if (origin === null || allowedOrigins.length === 0 || ownOrigins.includes(origin)) return true;
  return allowedOrigins.includes(origin);
}

export function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
}

export const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Accept",
  "Access-Control-Max-Age": "86400",
};

/**
 * `_redirect` sends a plain HTML form back to the site after submitting. Only URLs on the
 * site's allowed origins qualify, so the endpoint can never bounce visitors elsewhere
 * (an open redirect); with no allowed origins configured only Leadgram's own pages qualify.
 */
export function checkedRedirect(allowedOrigins: string[], redirect: string | undefined, ownOrigins: string[]): string | null {
  if (redirect === undefined || redirect.trim() === "") return null;
  let url: URL;
  try {
    url = new URL(redirect.trim());
  } catch {
    throw new ApiError(400, "_redirect must be an absolute URL");
  }
  if (!ownOrigins.includes(url.origin) && !allowedOrigins.includes(url.origin)) throw new ApiError(400, "_redirect must point to one of the site's allowed origins");
  return url.toString();
}
