import "server-only";
import { LRUCache } from "lru-cache";
import { config } from "@/lib/config";
import { db, type Db } from "@/lib/db/client";
import { listenForever } from "@/lib/db/pg-listener";
import { parseAllowedOrigins } from "@/lib/tenants/tenant-dto";

export type Site = { id: string; allowedOrigins: string[] };

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * A form posts the same site key again and again, and every submission (and preflight)
 * needs its site before anything else: they are kept in memory instead of read each time.
 * Every server forgets a site the moment a change of its settings commits (changeSite): on
 * PostgreSQL through a NOTIFY that every server LISTENs for. The TTL only matters while a
 * server's notification connection is down: then it bounds how long old allowed origins
 * may still be used there. Unknown keys are not remembered, so a site is found as soon as
 * it is registered.
 */
const SITE_TTL_MS = 5_000;
const MAX_SITES = 10_000;
const SITE_CHANGED_CHANNEL = "leadgram_site_changed";

async function readSite(siteKey: string): Promise<Site | undefined> {
  const tenant = await db().tenant.findUnique({ where: { siteKey }, select: { id: true, allowedOrigins: true } });
  return tenant ? { id: tenant.id, allowedOrigins: parseAllowedOrigins(tenant.allowedOrigins) } : undefined;
}

function createDirectory() {
  const directory = new LRUCache<string, Site>({
    max: MAX_SITES,
    ttl: SITE_TTL_MS,
    // Concurrent submissions for a site not yet in memory share one query.
    fetchMethod: readSite,
  });
  const settings = config();
  if (settings.databaseProvider === "postgresql") {
    listenForever(settings.databaseUrl, SITE_CHANGED_CHANNEL, {
      onNotification: (siteKey) => directory.delete(siteKey),
      // Sites kept before this connection listened may have changed unnoticed.
      onListening: () => directory.clear(),
    });
  }
  return directory;
}

// Next may evaluate this module in several bundles (the lead route, the settings route):
// they must share one directory, and one notification connection, per process.
const globalForSites = globalThis as unknown as { leadgramSites?: ReturnType<typeof createDirectory> };
const directory = () => (globalForSites.leadgramSites ??= createDirectory());

export async function lookUpSite(siteKey: string): Promise<Site | undefined> {
  try {
    return await directory().fetch(siteKey);
  } catch {
    // lru-cache rejects every lookup waiting on a site that is forgotten (or evicted) while
    // it is being read, as when its settings have just changed: read it afresh. Were the
    // database failing instead, this read fails the same way.
    return readSite(siteKey);
  }
}

/**
 * Applies `change` to a site's settings; once it commits, every server forgets the site.
 * On PostgreSQL the NOTIFY is sent inside the change's transaction, so it is delivered on
 * commit and never for a change rolled back. On SQLite this is the only server.
 */
export async function changeSite<T extends { siteKey: string }>(change: (tx: Tx) => Promise<T>): Promise<T> {
  const changed =
    config().databaseProvider === "postgresql"
      ? await db().$transaction(async (tx) => {
          const site = await change(tx);
          await tx.$executeRaw`SELECT pg_notify(${SITE_CHANGED_CHANNEL}, ${site.siteKey})`;
          return site;
        })
      : await change(db());
  // This server at once, without waiting for its own notification to come back.
  directory().delete(changed.siteKey);
  return changed;
}
