// POST|OPTIONS /api/v1/public/leads/<site_key> — lead submissions from forms on owners' sites
import { isBrowserFormPost } from "@/lib/http/browser-form-post";
import { apiRoute, errorResponse } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { RequestValidationError } from "@/lib/http/validation-error";
import { refusalPage } from "@/lib/leads/intake/refusal-page";
import { assertOriginAllowed, findSite, submitLead } from "@/lib/leads/intake/submit-lead";
import { corsHeaders, PREFLIGHT_HEADERS } from "@/lib/leads/intake/site-origins";

type SiteHandler = (req: Request, siteKey: string) => Promise<Response>;

/** Every answer, errors included, is readable by the posting page's script. */
function withCors(handler: SiteHandler) {
  const route = apiRoute(async (req, { params }) => handler(req, String((await params).siteKey)));
  return async (req: Request, context: Parameters<typeof route>[1]) => {
    const response = await route(req, context);
    for (const [name, value] of Object.entries(corsHeaders(req.headers.get("origin"))))
      response.headers.set(name, value);
    return response;
  };
}

/** A browser's plain HTML form is refused with a page its visitor can read; scripts keep the JSON. */
function withVisitorPages(handler: SiteHandler): SiteHandler {
  return async (req, siteKey) => {
    try {
      return await handler(req, siteKey);
    } catch (error) {
      if (!isBrowserFormPost(req)) throw error;
      return refusalPage(req, errorResponse(error), error instanceof RequestValidationError ? error.issues : []);
    }
  };
}

export const POST = withCors(withVisitorPages((req, siteKey) => submitLead(siteKey, req)));

// OPTIONS — CORS preflight for fetch() with a JSON body
export const OPTIONS = withCors(async (req, siteKey) => {
  const site = await findSite(siteKey);
  assertOriginAllowed(site.allowedOrigins, req);
  return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });
});

export const { GET, PUT, PATCH, DELETE } = otherMethodsRefused({ POST, OPTIONS });
