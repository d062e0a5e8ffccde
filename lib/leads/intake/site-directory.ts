import "server-only";
import { LRUCache } from "lru-cache";
import { db } from "@/lib/db/client";
import { parseAllowedOrigins } from "@/lib/tenants/tenant-dto";

export type Site = { id: string; allowedOrigins: string[] };

/**
 * A form posts the same site key again and again, and every submission (and preflight)
 * needs its site before anything else: they are kept in memory instead of read each time.
 * This process forgets a site the moment its settings change (forgetSite); the TTL bounds
 * how long another server process on the same database may still use old allowed origins.
 * Unknown keys are not remembered, so a site is found as soon as it is registered.
 */
const SITE_TTL_MS = 5_000;
const MAX_SITES = 10_000;

function createDirectory() {
  return new LRUCache<string, Site>({
    max: MAX_SITES,
    ttl: SITE_TTL_MS,
    // Concurrent submissions for a site not yet in memory share one query.
    fetchMethod: async (siteKey) => {
      const tenant = await db().tenant.findUnique({ where: { siteKey }, select: { id: true, allowedOrigins: true } });
      return tenant ? { id: tenant.id, allowedOrigins: parseAllowedOrigins(tenant.allowedOrigins) } : undefined;
    },
  });
}

// Next may evaluate this module in several bundles (the lead route, the settings route):
// they must share one directory for forgetSite to reach the lead route.
const globalForSites = globalThis as unknown as { leadgramSites?: ReturnType<typeof createDirectory> };
const directory = () => (globalForSites.leadgramSites ??= createDirectory());

export async function lookUpSite(siteKey: string): Promise<Site | undefined> {
  return directory().fetch(siteKey);
}

export function forgetSite(siteKey: string): void {
  directory().delete(siteKey);
}
