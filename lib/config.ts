import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { generateFernetKey, InvalidFernetKey, parseKeyList } from "@/lib/crypto/fernet";

/**
 * The environment, read and validated once. Every other module asks here instead of
 * reading process.env, so a bad value fails at start-up with one clear message.
 */

const LOCAL_SECRETS_FILE = "local-secrets.json";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

function isProxyEntry(entry: string): boolean {
  if (entry === "loopback") return true;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/app.db")
    .refine((url) => url.startsWith("file:") || /^postgres(ql)?:\/\//.test(url), {
      message: "must be file:<path> (SQLite) or postgresql://... (PostgreSQL)",
    }),
  ENCRYPTION_KEY: z.string().min(1).optional(),
  AUTH_SECRET: z.string().min(32, { message: "must be at least 32 characters" }).optional(),
  PUBLIC_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an absolute http(s) URL such as https://leads.example.com" })
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  TELEGRAM_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an absolute http(s) URL" })
    .default("https://api.telegram.org")
    .transform((url) => url.replace(/\/+$/, "")),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ALLOW_SIGNUP: booleanFlag.default(true),
  LEADS_PER_MINUTE_PER_CLIENT: z.coerce.number().int().min(1).default(10),
  LEADS_PER_MINUTE_PER_SITE: z.coerce.number().int().min(1).default(600),
  SIGNUPS_PER_HOUR_PER_CLIENT: z.coerce.number().int().min(1).default(10),
  RUN_DELIVERY: booleanFlag.default(true),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DELIVERY_MAX_LANES: z.coerce.number().int().min(1).max(10_000).default(300),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  TRUSTED_PROXIES: z
    .string()
    .default("loopback")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isProxyEntry), {
      message: 'must be a comma-separated list of addresses, CIDR ranges (10.0.0.0/8) or "loopback"',
    }),
});

export type DatabaseProvider = "sqlite" | "postgresql";

export type AppConfig = {
  databaseUrl: string;
  databaseProvider: DatabaseProvider;
  /** Fernet keys: the first encrypts, all decrypt (rotation). */
  encryptionKeys: string[];
  authSecret: string;
  publicApiUrl: string | undefined;
  telegramApiUrl: string;
  port: number;
  allowSignup: boolean;
  trustedProxies: string[];
  /** Lead submissions allowed per minute from one client address, and into one site. */
  leadsPerMinutePerClient: number;
  leadsPerMinutePerSite: number;
  /** Sign-ups allowed per hour from one client address (each costs a password hash and a site). */
  signupsPerHourPerClient: number;
  /** Whether this server also sends the outbox and polls Telegram; `false` leaves both to `npm run worker`. */
  runDelivery: boolean;
  /** Where a worker answers `GET /health`; none when unset. */
  workerHealthPort: number | undefined;
  /** Chats (tenants' lanes) one delivering process serves at once: its memory is bounded by them, not by the backlog. */
  deliveryMaxLanes: number;
  /** Seconds a server keeps serving after SIGTERM, its health answering 503, before it stops accepting connections. */
  shutdownDelaySeconds: number;
  /** Secrets that were generated on this start, so the caller can say so in the log. */
  generatedSecrets: string[];
};

export class ConfigError extends Error {}

const localSecretsSchema = z.object({ ENCRYPTION_KEY: z.string().min(1), AUTH_SECRET: z.string().min(32) });
type LocalSecrets = z.infer<typeof localSecretsSchema>;

/**
 * Secrets for a zero-configuration start: generated once into the git-ignored data
 * folder and reused on every later start, never overwritten (a new ENCRYPTION_KEY would
 * make every stored bot token unreadable).
 */
function loadOrCreateLocalSecrets(dataDir: string): { secrets: LocalSecrets; created: boolean } {
  const file = path.join(dataDir, LOCAL_SECRETS_FILE);
  if (existsSync(file)) {
    const parsed = localSecretsSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new ConfigError(`${file} is not a valid local secrets file; fix or remove it`);
    return { secrets: parsed.data, created: false };
  }
  const secrets: LocalSecrets = {
    ENCRYPTION_KEY: generateFernetKey(),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
  };
  // The folder holds the secrets and, by default, the database: the server's user alone reads it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // "wx" fails if another process created the file meanwhile: theirs wins, we re-read it.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateLocalSecrets(dataDir);
    throw error;
  }
  return { secrets, created: true };
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
}

/**
 * `PUBLIC_API_URL=` in an env file or a compose file means "not set", not "set to nothing":
 * an empty or blank variable falls back to its default like a missing one.
 */
function withoutBlankVariables(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ""),
  );
}

export function loadConfig(env: Record<string, string | undefined>, dataDir: string): AppConfig {
  const parsed = envSchema.safeParse(withoutBlankVariables(env));
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  const vars = parsed.data;
  const databaseProvider: DatabaseProvider = vars.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgresql";
  if (!vars.RUN_DELIVERY && databaseProvider === "sqlite") {
    throw new ConfigError(
      "Invalid configuration:\n  RUN_DELIVERY: false needs PostgreSQL: with SQLite no other process may send the notifications, so this server sends them itself (leave RUN_DELIVERY unset)",
    );
  }

  const generatedSecrets: string[] = [];
  let encryptionKeys = vars.ENCRYPTION_KEY;
  let authSecret = vars.AUTH_SECRET;
  if (!encryptionKeys || !authSecret) {
    const { secrets, created } = loadOrCreateLocalSecrets(dataDir);
    if (!encryptionKeys) {
      encryptionKeys = secrets.ENCRYPTION_KEY;
      if (created) generatedSecrets.push("ENCRYPTION_KEY");
    }
    if (!authSecret) {
      authSecret = secrets.AUTH_SECRET;
      if (created) generatedSecrets.push("AUTH_SECRET");
    }
  }

  let keys: string[];
  try {
    keys = parseKeyList(encryptionKeys);
  } catch (error) {
    if (error instanceof InvalidFernetKey) throw new ConfigError(`Invalid configuration:\n  ${error.message}`);
    throw error;
  }

  return {
    databaseUrl: vars.DATABASE_URL,
    databaseProvider,
    encryptionKeys: keys,
    authSecret,
    publicApiUrl: vars.PUBLIC_API_URL,
    telegramApiUrl: vars.TELEGRAM_API_URL,
    port: vars.PORT,
    allowSignup: vars.ALLOW_SIGNUP,
    trustedProxies: vars.TRUSTED_PROXIES,
    leadsPerMinutePerClient: vars.LEADS_PER_MINUTE_PER_CLIENT,
    leadsPerMinutePerSite: vars.LEADS_PER_MINUTE_PER_SITE,
    signupsPerHourPerClient: vars.SIGNUPS_PER_HOUR_PER_CLIENT,
    runDelivery: vars.RUN_DELIVERY,
    workerHealthPort: vars.WORKER_HEALTH_PORT,
    deliveryMaxLanes: vars.DELIVERY_MAX_LANES,
    shutdownDelaySeconds: vars.SHUTDOWN_DELAY_SECONDS,
    generatedSecrets,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration; the data folder is ./data, beside the default SQLite file. */
export function config(): AppConfig {
  cached ??= loadConfig(process.env, path.join(process.cwd(), "data"));
  return cached;
}
