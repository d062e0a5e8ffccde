// Next's route handlers know seven methods; for any other (PROPFIND, QUERY, LOCK...) the route
// module answers an empty 400 before a handler of ours runs. Every refusal under /api/v1 is
// `{"detail": ...}` JSON, so the server refuses these itself, as the same 400: a 405 must name
// the route's methods in Allow, which only the route knows, and a 5xx is never the client's.
const ROUTE_HANDLER_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

export function isUnknownApiMethod(req) {
  const pathname = (req.url ?? "/").split("?")[0];
  return !ROUTE_HANDLER_METHODS.has(req.method) && (pathname === "/api/v1" || pathname.startsWith("/api/v1/"));
}

export function refuseUnknownApiMethod(res) {
  // The body, if any, is left unread: the connection must not carry another request after it.
  res.writeHead(400, { "Content-Type": "application/json", Connection: "close" });
  res.end(JSON.stringify({ detail: "Unsupported HTTP method", code: "bad_request" }));
}
