import "server-only";
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/http/api-error";
import { clientIp } from "@/lib/http/client-ip";
import { ownOrigins } from "@/lib/http/own-origin";
import { deliveryThread } from "../delivery/delivery-thread";
import { storeLead } from "../store-lead";
import { detectDevice } from "./detect-device";
import { admitLeadSubmission, spendSiteLeadBudget } from "./lead-throttle";
import { CONTROL_FIELDS, normaliseLead } from "./normalise-lead";
import { readSubmission } from "./read-submission";
import { lookUpSite, type Site } from "./site-directory";
import { checkedRedirect, originAllowed } from "./site-origins";

export async function findSite(siteKey: string): Promise<Site> {
  const site = await lookUpSite(siteKey);
  if (!site) throw ApiError.notFound("Unknown site");
  return site;
}

export function assertOriginAllowed(allowedOrigins: string[], req: Request): void {
  if (!originAllowed(allowedOrigins, req.headers.get("origin"), ownOrigins(req))) throw ApiError.forbidden("Origin not allowed");
}

function accepted(leadId: string, redirect: string | null): Response {
  if (redirect) return new Response(null, { status: 303, headers: { Location: redirect } });
  return Response.json({ id: leadId, status: "received" }, { status: 201 });
}

/**
 * POST /api/v1/public/leads/<site_key>: checks are ordered cheapest first (site, origin,
 * throttle) so a flood is refused before its body is read. The answer is sent only after
 * the lead and its delivery record are committed; the delivery starts right away.
 */
export async function submitLead(siteKey: string, req: Request): Promise<Response> {
  const site = await findSite(siteKey);
  assertOriginAllowed(site.allowedOrigins, req);
  const ip = clientIp(req);
  await admitLeadSubmission(siteKey, ip);

  const fields = await readSubmission(req);
  const redirect = checkedRedirect(site.allowedOrigins, fields.get(CONTROL_FIELDS.redirect), ownOrigins(req));
  // A filled honeypot is a bot: answer exactly like a success so it learns nothing.
  if (fields.get(CONTROL_FIELDS.honeypot)?.trim()) return accepted(randomUUID(), redirect);

  const lead = normaliseLead(fields);
  const userAgent = req.headers.get("user-agent");
  lead.device ??= detectDevice(userAgent) ?? undefined;
  await spendSiteLeadBudget(siteKey);
  const leadId = await storeLead(site.id, lead, { clientIp: ip, userAgent });
  deliveryThread().wake(site.id);
  return accepted(leadId, redirect);
}
