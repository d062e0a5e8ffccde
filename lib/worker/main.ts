// `npm run worker`: a delivery-only process for PostgreSQL. It sends the outbox (deliveries
// and message edits) and polls Telegram for updates, like `npm start`'s delivery thread, but
// serves no HTTP (only GET /health on WORKER_HEALTH_PORT when set). Web instances started
// with RUN_DELIVERY=false wake it by NOTIFY (lib/leads/delivery/delivery-signals.ts).
import { config, ConfigError } from "@/lib/config";
import { logLockWait } from "@/lib/db/log-lock-wait";
import { migrateDatabase } from "@/lib/db/migrate";
import { log } from "@/lib/log";
import { checkEncryptionKeyOpensStoredTokens } from "@/lib/telegram/check-encryption-key";
import { startDeliveryServices, stopDeliveryServices } from "./delivery-services";
import { startHealthServer, type WorkerPhase } from "./health-server";

/** Longer than a Bot API request may take (lib/telegram/bot-api.ts), so sends in flight end. */
const DRAIN_LIMIT_MS = 15_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let settings: ReturnType<typeof config>;
try {
  settings = config();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (settings.databaseProvider === "sqlite") {
  fail("npm run worker needs PostgreSQL: with SQLite, npm start sends the notifications itself.");
}

for (const name of settings.generatedSecrets) {
  log.warn(`${name} was not set: generated one into data/local-secrets.json. Set ${name} in production.`);
}

let phase: WorkerPhase = "starting";
const health =
  settings.workerHealthPort === undefined
    ? undefined
    : await startHealthServer(settings.workerHealthPort, () => phase).catch((error: unknown) =>
        fail(`WORKER_HEALTH_PORT ${settings.workerHealthPort}: ${error instanceof Error ? error.message : error}`),
      );

async function shutDown(signal: string): Promise<void> {
  if (phase === "draining") return;
  phase = "draining";
  log.info(`${signal}: finishing notifications in flight and releasing leases`);
  const limit = new Promise((resolve) => setTimeout(resolve, DRAIN_LIMIT_MS).unref());
  await Promise.race([stopDeliveryServices(), limit]).catch((error: unknown) =>
    log.error({ err: error }, "the worker did not stop cleanly"),
  );
  health?.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutDown("SIGTERM"));
process.on("SIGINT", () => void shutDown("SIGINT"));

try {
  // Every process applies what is missing, under an advisory lock: whichever starts first
  // migrates, the others wait for it and find nothing left to do.
  const applied = await migrateDatabase(settings.databaseUrl, { onLockWait: logLockWait });
  if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
  await checkEncryptionKeyOpensStoredTokens();
  // Leases are not released at start: other workers and servers may hold them right now.
  await startDeliveryServices({ releaseAllLeases: false });
} catch (error) {
  fail(`Leadgram worker could not start: ${error instanceof Error ? error.message : String(error)}`);
}
// A SIGTERM during start-up has begun draining already.
if (phase === "starting") phase = "ok";
log.info({ health: settings.workerHealthPort ?? null }, "Leadgram worker ready");
