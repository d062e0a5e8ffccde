// POST /locale — the language switcher's plain form: remembers the choice, goes back to the page
//
// A route handler rather than a server action: Next answers an undecodable server-action
// body with 500 (vercel/next.js#86945), and this form needs nothing an action gives.
import { cookies } from "next/headers";
import { errorJson } from "@/lib/http/api-route";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/locales";

/** The page the form was on, when the browser says and it is on this server; else the home page. */
function backTo(req: Request): string {
  try {
    const referer = new URL(req.headers.get("referer") ?? "");
    return referer.host === req.headers.get("host") ? `${referer.pathname}${referer.search}` : "/";
  } catch {
    return "/";
  }
}

export async function POST(req: Request): Promise<Response> {
  const form = await req.formData().catch(() => null);
  const locale = LOCALES.find((known) => known === form?.get("locale"));
  if (!locale) return errorJson(400, "bad_request", `locale must be one of ${LOCALES.join(", ")}`);
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
  return new Response(null, { status: 303, headers: { Location: backTo(req) } });
}
