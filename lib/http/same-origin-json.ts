import "server-only";
import { ApiError } from "./api-error";
import { ownOrigins } from "./own-origin";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  return req.headers.has("transfer-encoding") || (length !== null && length.trim() !== "0");
}

function isJson(req: Request): boolean {
  return (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

function isSameOrigin(req: Request): boolean {
  if (req.headers.get("sec-fetch-site") === "same-origin") return true;
  const origin = req.headers.get("origin");
  return origin !== null && ownOrigins(req).some((own) => own.toLowerCase() === origin.toLowerCase());
}

/**
 * CSRF defence for callers authenticated by the session cookie, which a browser attaches
 * to requests from any site: a state change must come from this origin's own pages (Origin,
 * or Sec-Fetch-Site where a browser sends no Origin) and carry JSON, which another site's
 * form cannot send. SameSite=Lax alone still sends the cookie from sibling subdomains (same
 * site, another origin) and older browsers. Bearer callers hold a secret no other site has.
 */
export function assertSameOriginJson(req: Request): void {
  if (!STATE_CHANGING.has(req.method)) return;
  if (!isSameOrigin(req))
    throw ApiError.forbidden("Cross-site request refused: send it from this site's own pages", "cross_site_request");
  if (hasBody(req) && !isJson(req)) throw ApiError.forbidden("Send the body as application/json", "json_required");
}
