import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const KEY_A = "bGVhZGdyYW0tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=";
const KEY_B = "YW5vdGhlci1sZWFkZ3JhbS10ZXN0LWtleS0zMmJ5dGU=";
const SECRET = "x".repeat(40);

const tempDir = () => mkdtempSync(path.join(tmpdir(), "leadgram-config-"));

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const config = loadConfig({ ENCRYPTION_KEY: KEY_A, AUTH_SECRET: SECRET }, tempDir());
    expect(config).toMatchObject({
      databaseUrl: "file:./data/app.db",
      databaseProvider: "sqlite",
      telegramApiUrl: "https://api.telegram.org",
      publicApiUrl: undefined,
      port: 3000,
      allowSignup: true,
      trustedProxies: ["loopback"],
      leadsPerMinutePerClient: 10,
      leadsPerMinutePerSite: 600,
      encryptionKeys: [KEY_A],
      generatedSecrets: [],
    });
  });

  it("reads PostgreSQL URLs, key lists, flags and trims trailing slashes", () => {
    const config = loadConfig(
      {
        DATABASE_URL: "postgresql://u@localhost:5432/db",
        ENCRYPTION_KEY: ` ${KEY_A} , ${KEY_B} `,
        AUTH_SECRET: SECRET,
        PUBLIC_API_URL: "https://leads.example.com/",
        TELEGRAM_API_URL: "http://127.0.0.1:8081/",
        PORT: "8080",
        ALLOW_SIGNUP: "false",
        TRUSTED_PROXIES: "10.0.0.0/8, 192.168.1.10,loopback,::1",
      },
      tempDir(),
    );
    expect(config.databaseProvider).toBe("postgresql");
    expect(config.encryptionKeys).toEqual([KEY_A, KEY_B]);
    expect(config.publicApiUrl).toBe("https://leads.example.com");
    expect(config.telegramApiUrl).toBe("http://127.0.0.1:8081");
    expect(config.port).toBe(8080);
    expect(config.allowSignup).toBe(false);
    expect(config.trustedProxies).toEqual(["10.0.0.0/8", "192.168.1.10", "loopback", "::1"]);
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ PORT: "70000" }, "PORT"],
    [{ ALLOW_SIGNUP: "maybe" }, "ALLOW_SIGNUP"],
    [{ PUBLIC_API_URL: "leads.example.com" }, "PUBLIC_API_URL"],
    [{ TRUSTED_PROXIES: "10.0.0.0/99" }, "TRUSTED_PROXIES"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET"],
    [{ RUN_DELIVERY: "sometimes" }, "RUN_DELIVERY"],
    [{ WORKER_HEALTH_PORT: "0" }, "WORKER_HEALTH_PORT"],
    [{ SHUTDOWN_DELAY_SECONDS: "-1" }, "SHUTDOWN_DELAY_SECONDS"],
  ])("names the bad variable %#", (env, name) => {
    expect(() => loadConfig({ ENCRYPTION_KEY: KEY_A, AUTH_SECRET: SECRET, ...env }, tempDir())).toThrow(
      new RegExp(name),
    );
  });

  it.each(["", "   "])("treats every variable set to %j as unset", (blank) => {
    const dir = tempDir();
    const names = [
      "DATABASE_URL",
      "ENCRYPTION_KEY",
      "AUTH_SECRET",
      "PUBLIC_API_URL",
      "TELEGRAM_API_URL",
      "PORT",
      "ALLOW_SIGNUP",
      "LEADS_PER_MINUTE_PER_CLIENT",
      "LEADS_PER_MINUTE_PER_SITE",
      "TRUSTED_PROXIES",
    ];
    const config = loadConfig(Object.fromEntries(names.map((name) => [name, blank])), dir);
    const secrets = JSON.parse(readFileSync(path.join(dir, "local-secrets.json"), "utf8"));
    expect(config).toMatchObject({
      databaseUrl: "file:./data/app.db",
      encryptionKeys: [secrets.ENCRYPTION_KEY],
      authSecret: secrets.AUTH_SECRET,
      publicApiUrl: undefined,
      telegramApiUrl: "https://api.telegram.org",
      port: 3000,
      allowSignup: true,
      leadsPerMinutePerClient: 10,
      leadsPerMinutePerSite: 600,
      trustedProxies: ["loopback"],
      generatedSecrets: ["ENCRYPTION_KEY", "AUTH_SECRET"],
    });
  });

  it("reads the process role and the shutdown settings", () => {
    const base = { ENCRYPTION_KEY: KEY_A, AUTH_SECRET: SECRET };
    expect(loadConfig(base, tempDir())).toMatchObject({
      runDelivery: true,
      workerHealthPort: undefined,
      shutdownDelaySeconds: 0,
    });
    const web = loadConfig(
      {
        ...base,
        DATABASE_URL: "postgresql://u@localhost:5432/db",
        RUN_DELIVERY: "false",
        WORKER_HEALTH_PORT: "9090",
        SHUTDOWN_DELAY_SECONDS: "5",
      },
      tempDir(),
    );
    expect(web).toMatchObject({ runDelivery: false, workerHealthPort: 9090, shutdownDelaySeconds: 5 });
  });

  it("refuses RUN_DELIVERY=false on SQLite, where nobody else could send", () => {
    expect(() => loadConfig({ ENCRYPTION_KEY: KEY_A, AUTH_SECRET: SECRET, RUN_DELIVERY: "false" }, tempDir())).toThrow(
      /RUN_DELIVERY: false needs PostgreSQL/,
    );
  });

  it("rejects a malformed ENCRYPTION_KEY without echoing it", () => {
    const bad = "not-a-fernet-key-but-secret-looking";
    const attempt = () => loadConfig({ ENCRYPTION_KEY: `${KEY_A},${bad}`, AUTH_SECRET: SECRET }, tempDir());
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/key 2 of 2/);
    expect(attempt).not.toThrow(new RegExp(bad));
  });

  it("generates missing secrets once into the data folder and reuses them", () => {
    const dir = tempDir();
    const first = loadConfig({}, dir);
    expect(first.generatedSecrets).toEqual(["ENCRYPTION_KEY", "AUTH_SECRET"]);
    const file = path.join(dir, "local-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = loadConfig({}, dir);
    expect(second.generatedSecrets).toEqual([]);
    expect(second.encryptionKeys).toEqual(first.encryptionKeys);
    expect(second.authSecret).toBe(first.authSecret);
  });

  it("never overwrites an existing secrets file and prefers the environment", () => {
    const dir = tempDir();
    const file = path.join(dir, "local-secrets.json");
    writeFileSync(file, JSON.stringify({ ENCRYPTION_KEY: KEY_B, AUTH_SECRET: SECRET }));
    const config = loadConfig({ ENCRYPTION_KEY: KEY_A }, dir);
    expect(config.encryptionKeys).toEqual([KEY_A]);
    expect(config.authSecret).toBe(SECRET);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ ENCRYPTION_KEY: KEY_B, AUTH_SECRET: SECRET });
  });

  it("refuses a corrupt secrets file instead of replacing it", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "local-secrets.json"), JSON.stringify({ AUTH_SECRET: "x" }));
    expect(() => loadConfig({}, dir)).toThrow(ConfigError);
  });
});
