import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { generateFernetKey, MultiFernet } from "@/lib/crypto/fernet";
import { startAppServer, TEST_ENCRYPTION_KEY } from "../support/app-server";

/**
 * Start-up refuses a key that opens none of the stored bot tokens, instead of serving and
 * failing every delivery for good; a lost data/local-secrets.json (a new key generated in
 * its place) is the same refusal. The data folder is private to the server's user. Each
 * case runs its own server processes on its own database.
 */

const root = path.resolve(import.meta.dirname, "../..");
const BOT_TOKEN = "7000000777:AAFakeSecretPartOfTheBotTokenForKeyCheck";
const OTHER_KEY = generateFernetKey();

const now = () => new Date().toISOString().replace("Z", "+00:00");

/** A site with a connected bot, written as the server writes one, its token under `key`. */
function integrationRows(key: string) {
  const tenantId = randomUUID();
  return {
    tenant: [tenantId, "Key check", randomUUID()],
    integration: [
      randomUUID(),
      tenantId,
      7000000777,
      new MultiFernet([key]).encrypt(BOT_TOKEN),
      BOT_TOKEN.slice(-4),
      randomUUID(),
      "secret",
    ],
  };
}

function storeIntegrationSqlite(file: string, key: string): void {
  const rows = integrationRows(key);
  const sqlite = new Database(file);
  try {
    sqlite
      .prepare(`INSERT INTO "Tenant" ("id", "name", "siteKey", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`)
      .run(...rows.tenant, now(), now());
    sqlite
      .prepare(
        `INSERT INTO "TelegramIntegration" ("id", "tenantId", "botId", "botTokenEncrypted", "botTokenLast4", "webhookPathId", "webhookSecret", "createdAt", "updatedAt")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...rows.integration, now(), now());
  } finally {
    sqlite.close();
  }
}

async function storeIntegrationPostgres(url: string, key: string): Promise<void> {
  const rows = integrationRows(key);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Tenant" ("id", "name", "siteKey", "updatedAt") VALUES ($1, $2, $3, now())`,
      rows.tenant,
    );
    await client.query(
      `INSERT INTO "TelegramIntegration" ("id", "tenantId", "botId", "botTokenEncrypted", "botTokenLast4", "webhookPathId", "webhookSecret", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      rows.integration,
    );
  } finally {
    await client.end();
  }
}

/** Starts a server that must come up, and stops it again. */
async function startsAndStops(env: Record<string, string>, cwd?: string): Promise<void> {
  const app = await startAppServer(env, undefined, { cwd });
  await app.stop();
}

/** Starts a server that must refuse: it exits non-zero; returns what it printed. */
async function refusesToStart(env: Record<string, string>, cwd?: string): Promise<string> {
  const refusal = await startAppServer(env, undefined, { cwd }).then(
    async (app) => {
      await app.stop();
      throw new Error("the server started");
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect(refusal).toMatch(/exited with code [1-9]\d* during start-up/);
  return refusal;
}

function expectNoSecrets(output: string, keys: string[]): void {
  for (const secret of [BOT_TOKEN, BOT_TOKEN.split(":")[1] ?? "", ...keys]) expect(output).not.toContain(secret);
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe.runIf(inject("database") === "sqlite")("start-up on SQLite, with the secrets generated into data/", () => {
  it(
    "keeps data/ private and refuses a key, or a regenerated secrets file, that opens no stored token",
    { timeout: 180_000 },
    async () => {
      // The server's working folder holds data/; the migrations are read from prisma/ there too.
      const cwd = mkdtempSync(path.join(tmpdir(), "leadgram-keycheck-"));
      symlinkSync(path.join(root, "prisma"), path.join(cwd, "prisma"));
      const data = path.join(cwd, "data");
      const database = path.join(data, "app.db");
      const secretsFile = path.join(data, "local-secrets.json");
      // Empty means unset: the first start generates both secrets into data/local-secrets.json.
      const generated = { ENCRYPTION_KEY: "", AUTH_SECRET: "", TELEGRAM_API_URL: inject("sandboxUrl") };
      try {
        const first = await startAppServer(generated, undefined, { cwd });
        try {
          expect(mode(data)).toBe(0o700);
          for (const file of [secretsFile, database, `${database}-wal`, `${database}-shm`]) {
            expect(existsSync(file), file).toBe(true);
            expect(mode(file), file).toBe(0o600);
          }
        } finally {
          await first.stop();
        }
        const key = (JSON.parse(readFileSync(secretsFile, "utf8")) as { ENCRYPTION_KEY: string }).ENCRYPTION_KEY;
        storeIntegrationSqlite(database, key);

        const wrongKey = await refusesToStart({ ...generated, ENCRYPTION_KEY: OTHER_KEY }, cwd);
        expect(wrongKey).toContain("ENCRYPTION_KEY does not decrypt the stored bot tokens");
        expectNoSecrets(wrongKey, [key, OTHER_KEY]);

        // The right key starts, alone (from the file) or among others while rotating.
        await startsAndStops({ ...generated, ENCRYPTION_KEY: `${OTHER_KEY},${key}` }, cwd);
        await startsAndStops(generated, cwd);

        rmSync(secretsFile);
        const lostFile = await refusesToStart(generated, cwd);
        expect(lostFile).toContain("ENCRYPTION_KEY does not decrypt the stored bot tokens");
        expect(lostFile).toMatch(/local secrets file was generated anew/);
        expectNoSecrets(lostFile, [
          key,
          (JSON.parse(readFileSync(secretsFile, "utf8")) as { ENCRYPTION_KEY: string }).ENCRYPTION_KEY,
        ]);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    },
  );
});

describe.runIf(inject("database") === "postgresql")("start-up on PostgreSQL", () => {
  it(
    "refuses an ENCRYPTION_KEY that opens no stored token, and starts with the right one",
    { timeout: 180_000 },
    async () => {
      // A database of its own on the suite's PostgreSQL server.
      const name = `keycheck_${randomUUID().replace(/-/g, "")}`;
      const admin = new pg.Client({ connectionString: inject("databaseUrl") });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(inject("databaseUrl"));
      url.pathname = `/${name}`;
      const env = { DATABASE_URL: url.toString(), TELEGRAM_API_URL: inject("sandboxUrl") };
      try {
        await startsAndStops(env); // migrates the new database
        await storeIntegrationPostgres(url.toString(), TEST_ENCRYPTION_KEY);

        const refusal = await refusesToStart({ ...env, ENCRYPTION_KEY: OTHER_KEY });
        expect(refusal).toContain("ENCRYPTION_KEY does not decrypt the stored bot tokens");
        expectNoSecrets(refusal, [TEST_ENCRYPTION_KEY, OTHER_KEY]);

        await startsAndStops(env);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});
