/**
 * The policy of every app page. Scripts and styles run only with this response's nonce
 * ('strict-dynamic' lets Next's bundles load their chunks); the app talks to its own origin
 * only; no page may be framed (the demo form is opened as a page, never embedded) and forms
 * post only to this server.
 */
export function pageContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
