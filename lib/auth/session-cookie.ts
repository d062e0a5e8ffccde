import "server-only";
import { decode, encode } from "next-auth/jwt";
import { config } from "@/lib/config";

// next-auth's defaults (lib/auth/next-auth.ts does not change them): the __Secure- name
// over https, and a session that lasts 30 days from its last renewal.
const COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
const MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

function sessionCookieOf(req: Request): { name: string; value: string } | null {
  const cookies = new Map(
    (req.headers.get("cookie") ?? "").split(";").map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const;
    }),
  );
  for (const name of COOKIE_NAMES) {
    const value = cookies.get(name);
    if (value) return { name, value };
  }
  return null;
}

/**
 * A Set-Cookie header that keeps the caller's own browser session signed in at the new
 * sessionVersion after the user's other sessions were ended, or null when the request
 * carried no session cookie. next-auth's own "update" path is not used for this: the
 * browser can trigger it too (POST /api/auth/session), so it never changes the version.
 */
export async function reissuedSessionCookie(req: Request, sessionVersion: number): Promise<string | null> {
  const cookie = sessionCookieOf(req);
  if (!cookie) return null;
  const secret = config().authSecret;
  const token = await decode({ token: cookie.value, secret, salt: cookie.name }).catch(() => null);
  if (!token) return null;
  // encode() sets iat, exp and jti afresh.
  const value = await encode({
    token: { ...token, sessionVersion },
    secret,
    salt: cookie.name,
    maxAge: MAX_AGE_SECONDS,
  });
  const expires = new Date(Date.now() + MAX_AGE_SECONDS * 1000).toUTCString();
  const secure = cookie.name.startsWith("__Secure-") ? "; Secure" : "";
  return `${cookie.name}=${value}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax${secure}`;
}
