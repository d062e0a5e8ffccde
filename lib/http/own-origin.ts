import "server-only";
import { config } from "@/lib/config";

/**
 * Origins of this server itself: the one the request came to, and PUBLIC_API_URL's (the
 * public name behind a proxy). Leadgram's own pages post and redirect from these.
 */
export function ownOrigins(req: Request): string[] {
  const publicApiUrl = config().publicApiUrl;
  return [new URL(req.url).origin, ...(publicApiUrl ? [new URL(publicApiUrl).origin] : [])];
}
