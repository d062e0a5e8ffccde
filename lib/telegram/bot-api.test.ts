import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixture } from "@/sandbox/test-support";

// The door reads TELEGRAM_API_URL and ENCRYPTION_KEY once, on first use: point them at a
// sandbox started before anything reads the configuration.
const fx = await startFixture();
process.env.TELEGRAM_API_URL = fx.sandbox.url;
process.env.ENCRYPTION_KEY = "bGVhZGdyYW0tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=";
process.env.AUTH_SECRET = "x".repeat(40);

const { TelegramRefusal, TelegramUnavailable, telegramFor, telegramForToken } = await import("./bot-api");
const { encryptBotToken } = await import("./token-vault");

const token = fx.bot.token;
const secretPart = token.split(":")[1] ?? token;
const integration = { botTokenEncrypted: encryptBotToken(token) };
let sandboxOpen = true;

beforeAll(async () => {
  // Only the faults a test injects may fail a call, not the sandbox's flood control.
  await fx.client.disableRateLimits();
});

afterEach(async () => {
  if (!sandboxOpen) return;
  await fx.client.clearFaults();
  await fx.client.setOutage(false);
});

afterAll(async () => {
  if (sandboxOpen) await fx.sandbox.close();
});

async function failureOf(call: Promise<unknown>): Promise<Error> {
  const error: unknown = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Nothing the error holds, hidden properties and causes included, names the token. */
function expectTokenFree(error: Error): void {
  const everything = [
    error.message,
    error.stack ?? "",
    inspect(error, { showHidden: true, depth: Infinity }),
    JSON.stringify(error),
  ].join("\n");
  expect(everything).not.toContain(secretPart);
  expect(error.cause).toBeUndefined();
}

async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof TelegramRefusal>> {
  const error = await failureOf(call);
  expectTokenFree(error);
  expect(error).toBeInstanceOf(TelegramRefusal);
  return error as InstanceType<typeof TelegramRefusal>;
}

async function unavailable(call: Promise<unknown>, method: string): Promise<void> {
  const error = await failureOf(call);
  expectTokenFree(error);
  expect(error).toBeInstanceOf(TelegramUnavailable);
  expect(error).toMatchObject({ method, message: `Telegram API unavailable (${method})` });
}

describe("the door to Telegram", () => {
  it("calls the Bot API as the integration's bot, or as a token not stored yet", async () => {
    await expect(telegramFor(integration).getMe()).resolves.toMatchObject({
      id: fx.bot.id,
      username: "acme_leads_bot",
    });
    await expect(telegramForToken(token).getMe()).resolves.toMatchObject({ id: fx.bot.id });
    await expect(telegramFor(integration).sendMessage(fx.chat.id, "hi")).resolves.toMatchObject({ text: "hi" });
  });

  it("turns Telegram's refusals into TelegramRefusal with its code and description", async () => {
    const wrongSecret = `${fx.bot.id}:${"z".repeat(35)}`;
    const unauthorized = await failureOf(telegramForToken(wrongSecret).getMe());
    expect(inspect(unauthorized, { showHidden: true, depth: Infinity })).not.toContain("z".repeat(35));
    expect(unauthorized).toMatchObject({ name: "TelegramRefusal", errorCode: 401, description: "Unauthorized" });

    expect(await refusal(telegramFor(integration).sendMessage(424242, "hi"))).toMatchObject({
      errorCode: 400,
      description: "Bad Request: chat not found",
    });
    await fx.client.blockBot(fx.chat.id);
    const blocked = await refusal(telegramFor(integration).sendMessage(fx.chat.id, "hi"));
    expect(blocked).toMatchObject({
      errorCode: 403,
      description: "Forbidden: bot was blocked by the user",
      isTransient: false,
    });
    await fx.client.unblockBot(fx.chat.id);
  });

  it("keeps Telegram's 5xx, retry_after and migrate_to_chat_id", async () => {
    await fx.client.injectFault({ kind: "internal_error", method: "sendMessage" });
    expect(await refusal(telegramFor(integration).sendMessage(fx.chat.id, "hi"))).toMatchObject({
      errorCode: 500,
      isTransient: true,
    });

    await fx.client.injectFault({ kind: "too_many_requests", retry_after: 12, method: "sendMessage" });
    expect(await refusal(telegramFor(integration).sendMessage(fx.chat.id, "hi"))).toMatchObject({
      errorCode: 429,
      retryAfterSeconds: 12,
      isTransient: true,
    });

    const group = await fx.client.createGroup({ title: "Sales" });
    const { migrate_to_chat_id } = await fx.client.migrateToSupergroup(group.id);
    expect(await refusal(telegramFor(integration).sendMessage(group.id, "hi"))).toMatchObject({
      errorCode: 400,
      migrateToChatId: migrate_to_chat_id,
    });
  });

  it("turns a reset connection, an outage and a proxy's HTML error page into TelegramUnavailable", async () => {
    await fx.client.injectFault({ kind: "connection_reset" });
    await unavailable(telegramFor(integration).sendMessage(fx.chat.id, "hi"), "sendMessage");
    await fx.client.injectFault({ kind: "bad_gateway" });
    await unavailable(telegramFor(integration).setWebhook("https://leadgram.example/hook"), "setWebhook");
    await fx.client.setOutage(true);
    await unavailable(telegramForToken(token).getMe(), "getMe");
  });

  it(
    "turns a call that hangs into TelegramUnavailable once the 10-second timeout passes",
    { timeout: 30_000 },
    async () => {
      await fx.client.injectFault({ kind: "hang" });
      await unavailable(telegramFor(integration).deleteWebhook(), "deleteWebhook");
    },
  );

  it("turns an unreachable Bot API into TelegramUnavailable", async () => {
    await fx.sandbox.close();
    sandboxOpen = false;
    await unavailable(telegramFor(integration).sendMessage(fx.chat.id, "hi"), "sendMessage");
  });
});
