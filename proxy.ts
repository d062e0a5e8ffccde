import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/lib/http/content-security-policy";

/**
 * A fresh CSP nonce for every page: Next reads the policy from the request headers and puts
 * the nonce on its own inline and bundle scripts, and the browser runs nothing else. API
 * routes are not matched (they answer JSON and get scripts/security-headers.mjs's policy);
 * not passing their bodies through here also keeps Next from copying them for the proxy.
 */
export function proxy(request: NextRequest) {
  const policy = pageContentSecurityPolicy(btoa(crypto.randomUUID()));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }],
};
