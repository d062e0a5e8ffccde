import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { dispatcher } from "@/lib/leads/delivery/dispatcher";
import { log } from "@/lib/log";

/** Start-up: configuration, migrations, database settings, the delivery dispatcher. Fails loudly, before serving. */
export async function startServices(): Promise<void> {
  const settings = config();
  for (const name of settings.generatedSecrets) {
    log.warn(`${name} was not set: generated one into data/local-secrets.json. Back this file up; set ${name} in production.`);
  }
  const applied = await migrateDatabase(settings.databaseUrl);
  if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
  if (settings.databaseProvider === "sqlite") {
    // A 201 promises the lead is on disk: FULL syncs the WAL on every commit, which the
    // driver's default (NORMAL) does not, so a power cut could lose acknowledged leads.
    await db().$executeRawUnsafe("PRAGMA synchronous = FULL");
  }
  await dispatcher().start({ releaseAllLeases: settings.databaseProvider === "sqlite" });
  log.info({ database: settings.databaseProvider }, "Leadgram ready");
}
