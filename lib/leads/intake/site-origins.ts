import "server-only";
import { ApiError } from "@/lib/http/api-error";

/** An empty allowed-origins list means any origin may post (the contract's default). */
export function originAllowed(allowedOrigins: string[], origin: string | null): boolean {
  if (origin === null || allowedOrigins.length === 0) return true;
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
 * (an open redirect); with no allowed origins configured there is nothing to allow.
 */
export function checkedRedirect(allowedOrigins: string[], redirect: string | undefined): string | null {
  if (redirect === undefined || redirect.trim() === "") return null;
  let url: URL;
  try {
    url = new URL(redirect.trim());
  } catch {
    throw new ApiError(400, "_redirect must be an absolute URL");
  }
  if (!allowedOrigins.includes(url.origin)) throw new ApiError(400, "_redirect must point to one of the site's allowed origins");
  return url.toString();
}
