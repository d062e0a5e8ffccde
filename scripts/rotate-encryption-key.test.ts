import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { Fernet, generateFernetKey } from "@/lib/crypto/fernet";
import { migrateDatabase } from "@/lib/db/migrate";

const root = path.resolve(import.meta.dirname, "..");
const TOKEN = "7311594201:AAHk1234567890abcdefghijABCDEFGHIJDg0o";

function base64UrlDecode(token: string): Buffer {
  return Buffer.from(token.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

async function databaseWith(tokens: string[]): Promise<{ url: string; file: string; ids: string[] }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "leadgram-rotate-")), "app.db");
  const url = `file:${file}`;
  await migrateDatabase(url, { root });
  const sqlite = new Database(file);
  const now = new Date().toISOString();
  const ids = tokens.map((encrypted, index) => {
    const tenantId = randomUUID();
    const id = randomUUID();
    sqlite
      .prepare(`INSERT INTO "Tenant" (id, name, siteKey, updatedAt) VALUES (?, 'Site', ?, ?)`)
      .run(tenantId, `key${index}`, now);
    sqlite
      .prepare(
        `INSERT INTO "TelegramIntegration" (id, tenantId, botId, botTokenEncrypted, botTokenLast4, webhookPathId, webhookSecret, updatedAt) VALUES (?, ?, 7311594201, ?, 'Dg0o', ?, 's', ?)`,
      )
      .run(id, tenantId, encrypted, `path${index}`, now);
    return id;
  });
  sqlite.close();
  return { url, file, ids };
}

function storedToken(file: string, id: string): string {
  const sqlite = new Database(file, { readonly: true });
  const row = sqlite.prepare(`SELECT botTokenEncrypted FROM "TelegramIntegration" WHERE id = ?`).get(id) as {
    botTokenEncrypted: string;
  };
  sqlite.close();
  return row.botTokenEncrypted;
}

function rotate(url: string, keys: string[]) {
  return spawnSync("npm", ["run", "--silent", "rotate-encryption-key"], {
    cwd: root,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: url,
      ENCRYPTION_KEY: keys.join(","),
      AUTH_SECRET: "x".repeat(40),
    },
  });
}

describe("npm run rotate-encryption-key", () => {
  it("re-encrypts stored tokens under the first key, keeping Fernet's timestamp", async () => {
    const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
    const before = new Fernet(oldKey).encrypt(TOKEN);
    const { url, file, ids } = await databaseWith([before]);

    const result = rotate(url, [newKey, oldKey]);
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Re-encrypted 1 bot token(s) under the first of 2 key(s).");

    const after = storedToken(file, ids[0] ?? "");
    expect(after).not.toBe(before);
    expect(new Fernet(newKey).decrypt(after).toString()).toBe(TOKEN);
    expect(() => new Fernet(oldKey).decrypt(after)).toThrow();
    expect(base64UrlDecode(after).subarray(1, 9)).toEqual(base64UrlDecode(before).subarray(1, 9));
  });

  it("names tokens no key opens, leaves them untouched and exits non-zero", async () => {
    const [key, lostKey] = [generateFernetKey(), generateFernetKey()];
    const unreadable = new Fernet(lostKey).encrypt(TOKEN);
    const readable = new Fernet(key).encrypt(TOKEN);
    const { url, file, ids } = await databaseWith([unreadable, readable]);

    const result = rotate(url, [key]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(ids[0]);
    expect(result.stdout).toContain("Re-encrypted 1 bot token(s)");
    expect(storedToken(file, ids[0] ?? "")).toBe(unreadable);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });
});
