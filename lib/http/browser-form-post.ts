import { qualityValues } from "./quality-values";

const qualityOf = (accept: string | null, mediaType: string) =>
  qualityValues(accept).find((entry) => entry.range === mediaType)?.quality ?? 0;

/**
 * A browser submitting a plain HTML form, whose visitor sees the answer as a page: a body
 * that is not JSON and an Accept that names text/html at least as highly as JSON (browsers
 * send `text/html,...,*\/*;q=0.8`). fetch() callers (`*\/*`, `application/json`, or a JSON
 * body) are scripts and get JSON.
 */
export function isBrowserFormPost(req: Request): boolean {
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/json") return false;
  const accept = req.headers.get("accept");
  const html = qualityOf(accept, "text/html");
  return html > 0 && html >= qualityOf(accept, "application/json");
}
