import "server-only";
import { config } from "@/lib/config";
import { setSqliteSync } from "@/lib/db/durability";
import { logLockWait } from "@/lib/db/log-lock-wait";
import { migrateDatabase, sqliteFilePath } from "@/lib/db/migrate";
import { lockSqliteFile } from "@/lib/db/sqlite-process-lock";
import { deliveryThread } from "@/lib/leads/delivery/delivery-thread";
import { log } from "@/lib/log";
import { checkEncryptionKeyOpensStoredTokens } from "@/lib/telegram/check-encryption-key";
import { startPruningUpdateIds } from "@/lib/telegram/webhook/prune-update-ids";

/**
 * Start-up: configuration, migrations, the key check, database settings, and the delivery
 * thread unless RUN_DELIVERY=false leaves sending to `npm run worker`. Fails loudly, before serving.
 */
export async function startServices(): Promise<void> {
  const settings = config();
  for (const name of settings.generatedSecrets) {
    log.warn(
      `${name} was not set: generated one into data/local-secrets.json. Back this file up; set ${name} in production.`,
    );
  }
  // Before anything touches the file: a second server on it would send every lead twice.
  if (settings.databaseProvider === "sqlite") lockSqliteFile(sqliteFilePath(settings.databaseUrl));
  const applied = await migrateDatabase(settings.databaseUrl, { onLockWait: logLockWait });
  if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
  await checkEncryptionKeyOpensStoredTokens();
  // A 201 promises the lead is on disk, so the connection that stores leads syncs every commit.
  await setSqliteSync("FULL");
  // Only one process uses a SQLite file: whatever it had claimed was cut off by a stop.
  if (settings.runDelivery) await deliveryThread().start({ releaseAllLeases: settings.databaseProvider === "sqlite" });
  startPruningUpdateIds();
  log.info({ database: settings.databaseProvider, delivery: settings.runDelivery }, "Leadgram ready");
}
