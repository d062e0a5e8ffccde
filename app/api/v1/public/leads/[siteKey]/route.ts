// POST|OPTIONS /api/v1/public/leads/<site_key> — lead submissions from forms on owners' sites
import { apiRoute } from "@/lib/http/api-route";
import { assertOriginAllowed, findSite, submitLead } from "@/lib/leads/intake/submit-lead";
import { corsHeaders, PREFLIGHT_HEADERS } from "@/lib/leads/intake/site-origins";

/** Every answer, errors included, is readable by the posting page's script. */
function withCors(handler: (req: Request, siteKey: string) => Promise<Response>) {
  const route = apiRoute(async (req, { params }) => handler(req, String((await params).siteKey)));
  return async (req: Request, context: Parameters<typeof route>[1]) => {
    const response = await route(req, context);
    for (const [name, value] of Object.entries(corsHeaders(req.headers.get("origin")))) response.headers.set(name, value);
    return response;
  };
}

export const POST = withCors((req, siteKey) => submitLead(siteKey, req));

// OPTIONS — CORS preflight for fetch() with a JSON body
export const OPTIONS = withCors(async (req, siteKey) => {
  const site = await findSite(siteKey);
  assertOriginAllowed(site.allowedOrigins, req);
  return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });
});
