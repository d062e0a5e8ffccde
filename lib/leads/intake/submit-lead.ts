import "server-only";
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/http/api-error";
import { isBrowserFormPost } from "@/lib/http/browser-form-post";
import { clientIp } from "@/lib/http/client-ip";
import { ownOrigins } from "@/lib/http/own-origin";
import { wakeDeliveryLane } from "../delivery/wake-lane";
import { detectDevice } from "./detect-device";
import { idempotencyKeyOf, leadStoredUnder, storeLeadOnce } from "./idempotent-submission";
import { admitLeadSubmission, refundSiteLeadBudget, spendSiteLeadBudget } from "./lead-throttle";
import { CONTROL_FIELDS, normaliseLead } from "./normalise-lead";
import { readSubmission } from "./read-submission";
import { lookUpSite, type Site } from "./site-directory";
import { decideRedirect, originAllowed, type RedirectDecision } from "./site-origins";

export async function findSite(siteKey: string): Promise<Site> {
  const site = await lookUpSite(siteKey);
  if (!site) throw ApiError.notFound("Unknown site");
  return site;
}

export function assertOriginAllowed(allowedOrigins: string[], req: Request): void {
  if (!originAllowed(allowedOrigins, req.headers.get("origin"), ownOrigins(req)))
    throw ApiError.forbidden("Origin not allowed", "origin_not_allowed");
}

/** Leadgram's own thank-you page (app/thanks), for visitors whose form names no usable page. */
const THANKS_PATH = "/thanks";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

function accepted(req: Request, leadId: string, redirect: RedirectDecision): Response {
  if (redirect.kind === "allowed") return seeOther(redirect.url);
  // A visitor whose form named a page it may not go to, or none at all, still needs a page
  // to land on rather than this endpoint's JSON.
  if (redirect.kind === "refused" || isBrowserFormPost(req)) return seeOther(THANKS_PATH);
  return Response.json({ id: leadId, status: "received" }, { status: 201 });
}

/**
 * POST /api/v1/public/leads/<site_key>: checks are ordered cheapest first (site, origin,
 * idempotency key, throttle) so a flood is refused before its body is read. The answer is
 * sent only after the lead and its delivery record are committed; the delivery starts
 * right away. A retry with the Idempotency-Key of a stored lead gets that lead's answer
 * whatever fields it carries (they are neither validated nor stored), and spends none of
 * the site's budget.
 */
export async function submitLead(siteKey: string, req: Request): Promise<Response> {
  const site = await findSite(siteKey);
  assertOriginAllowed(site.allowedOrigins, req);
  const idempotencyKey = idempotencyKeyOf(req);
  const ip = clientIp(req);
  await admitLeadSubmission(siteKey, ip);

  const fields = await readSubmission(req);
  const redirect = decideRedirect(site.allowedOrigins, fields.get(CONTROL_FIELDS.redirect), ownOrigins(req));
  // A filled honeypot is a bot: answer exactly like a success so it learns nothing.
  if (fields.get(CONTROL_FIELDS.honeypot)?.trim()) return accepted(req, randomUUID(), redirect);
  const earlier = idempotencyKey === null ? null : await leadStoredUnder(site.id, idempotencyKey);
  if (earlier) return accepted(req, earlier, redirect);

  const lead = normaliseLead(fields);
  const userAgent = req.headers.get("user-agent");
  lead.device ??= detectDevice(userAgent) ?? undefined;
  const refusedRedirect = redirect.kind === "refused" ? redirect.target : null;
  await spendSiteLeadBudget(siteKey);
  const { leadId, isNew } = await storeLeadOnce(site.id, lead, {
    clientIp: ip,
    userAgent,
    refusedRedirect,
    idempotencyKey,
  });
  if (isNew) wakeDeliveryLane(site.id);
  else await refundSiteLeadBudget(siteKey);
  return accepted(req, leadId, redirect);
}
