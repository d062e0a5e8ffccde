// Security headers on every answer, set before Next handles the request (so API answers,
// static files and error pages all carry them). Pages replace the Content-Security-Policy
// with their own nonce-based one (proxy.ts); what is set here fits answers that are not
// app pages: JSON, CSV, files, and the small server-rendered HTML of the public lead route.
// The refusal pages take their look from public/visitor.css, so styles may come from here only.
const NON_PAGE_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * HSTS only when the server is published over https (PUBLIC_API_URL): browsers ignore the
 * header over plain http anyway, and a server reached only over http must not promise https.
 */
export function securityHeaders(publicApiUrl) {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": NON_PAGE_POLICY,
    ...(publicApiUrl?.trim().toLowerCase().startsWith("https://")
      ? { "Strict-Transport-Security": "max-age=31536000" }
      : {}),
  };
}
