import "server-only";
import { db } from "@/lib/db/client";
import { httpUrl } from "@/lib/http/http-url";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import { REFUSED_REDIRECT_NOTICE_DAYS, type RefusedRedirect, type RefusedRedirectList } from "@/lib/schemas/leads";
import { parseAllowedOrigins } from "@/lib/tenants/tenant-dto";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Distinct targets read; a misconfigured form repeats one, so this is plenty. */
const MAX_TARGETS_READ = 100;
const MAX_ITEMS = 10;

/**
 * GET /api/v1/leads/refused-redirects: the `_redirect` targets forms asked for in the last
 * REFUSED_REDIRECT_NOTICE_DAYS days and were refused, one entry per origin (the owner
 * allows origins, not pages), newest first — minus the origins the site allows by now.
 */
export async function listRefusedRedirects(tenantId: string): Promise<RefusedRedirectList> {
  const tenant = await db().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { allowedOrigins: true } });
  const allowed = new Set(parseAllowedOrigins(tenant.allowedOrigins));
  const groups = await db().lead.groupBy({
    by: ["refusedRedirect"],
    where: {
      tenantId,
      refusedRedirect: { not: null },
      createdAt: { gte: new Date(Date.now() - REFUSED_REDIRECT_NOTICE_DAYS * DAY_MS) },
    },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: { _max: { createdAt: "desc" } },
    take: MAX_TARGETS_READ,
  });

  const byOrigin = new Map<string, RefusedRedirect>();
  for (const group of groups) {
    const target = group.refusedRedirect;
    const lastAt = group._max.createdAt;
    if (target === null || lastAt === null) continue;
    const origin = httpUrl(target)?.origin ?? null;
    if (origin !== null && allowed.has(origin)) continue;
    const key = origin ?? target;
    const seen = byOrigin.get(key);
    // Groups come newest first: the first target seen for an origin is its latest.
    if (seen) seen.leads += group._count._all;
    else byOrigin.set(key, { target, origin, leads: group._count._all, last_at: isoTimestamp(lastAt) });
  }
  return { items: [...byOrigin.values()].slice(0, MAX_ITEMS) };
}
