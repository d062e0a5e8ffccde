import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, expect, it } from "vitest";
import { startFixture } from "@/sandbox/test-support";

/**
 * A kept-alive connection that lay idle is closed by the server in its own time: the
 * sandbox's HTTP server after 5 s (it says so in `Keep-Alive: timeout=5`), and Telegram's
 * has reset connections that a client kept for long. A call written onto such a connection
 * just as the server closes it fails as a reset, though Telegram never saw it. Between the
 * door and the sandbox sits a relay that plays that moment: a connection idle for 4.5 s or
 * more is dropped, unforwarded, when its next request arrives.
 */
const SERVER_CLOSES_AFTER_IDLE_MS = 4_500;

const fx = await startFixture();
const sandbox = new URL(fx.sandbox.url);
const relay = createServer((client: Socket) => {
  const upstream = createConnection({ host: sandbox.hostname, port: Number(sandbox.port) });
  let lastActivity = Date.now();
  client.on("data", (chunk) => {
    if (Date.now() - lastActivity >= SERVER_CLOSES_AFTER_IDLE_MS) {
      client.destroy();
      upstream.destroy();
      return;
    }
    lastActivity = Date.now();
    upstream.write(chunk);
  });
  upstream.on("data", (chunk) => {
    lastActivity = Date.now();
    client.write(chunk);
  });
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
  client.on("close", () => upstream.destroy());
  upstream.on("close", () => client.destroy());
});
await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
process.env.TELEGRAM_API_URL = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
process.env.ENCRYPTION_KEY = "bGVhZGdyYW0tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=";
process.env.AUTH_SECRET = "x".repeat(40);

const { telegramFor, telegramForToken } = await import("./bot-api");
const { encryptBotToken } = await import("./token-vault");

afterAll(async () => {
  relay.close();
  await fx.sandbox.close();
});

it(
  "does not send a call on a connection the server is about to close after it lay idle",
  { timeout: 20_000 },
  async () => {
    await expect(telegramForToken(fx.bot.token).getMe()).resolves.toMatchObject({ id: fx.bot.id });
    await new Promise((resolve) => setTimeout(resolve, SERVER_CLOSES_AFTER_IDLE_MS + 200));
    await expect(telegramForToken(fx.bot.token).getMe()).resolves.toMatchObject({ id: fx.bot.id });
  },
);

it(
  "keeps a long poll's connection open past that idle limit while Telegram holds the call",
  { timeout: 20_000 },
  async () => {
    const started = Date.now();
    const updates = await telegramFor(
      { botTokenEncrypted: encryptBotToken(fx.bot.token) },
      { longPollSeconds: 6 },
    ).getUpdates({
      timeout: 6,
    });
    expect(updates).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_900);
  },
);
