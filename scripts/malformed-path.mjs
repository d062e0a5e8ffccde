// A path that does not percent-decode to text (`/api/v1/leads/%FF`) makes Next answer a bare
// 500, and a NUL (`%00`) in a path segment would reach PostgreSQL, whose text columns cannot
// hold it. No route or page is named by either, so the server refuses them before Next runs.
export function isMalformedPath(url) {
  const path = (url ?? "/").split("?")[0];
  try {
    return decodeURIComponent(path).includes("\0");
  } catch {
    return true;
  }
}

export function refuseMalformedPath(res) {
  // The body, if any, is left unread: the connection must not carry another request after it.
  res.writeHead(400, { "Content-Type": "application/json", Connection: "close" });
  res.end(
    JSON.stringify({
      detail: "Malformed URL path: invalid percent-encoding or a NUL character",
      code: "malformed_path",
    }),
  );
}
