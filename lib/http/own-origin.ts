import "server-only";
import { config } from "@/lib/config";

/**
 * Origins of this server itself, as the browser addresses it (the Host header, over http
 * or https — a TLS proxy may sit in front) and PUBLIC_API_URL's. Leadgram's own pages
 * (the demo form) post and redirect from these.
 */
export function ownOrigins(req: Request): string[] {
  const host = req.headers.get("host");
  const publicApiUrl = config().publicApiUrl;
  return [
    ...(host ? [`http://${host}`, `https://${host}`] : []),
    ...(publicApiUrl ? [new URL(publicApiUrl).origin] : []),
  ];
}
