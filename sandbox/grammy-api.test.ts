import { Api, GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";

/**
 * The app talks to Telegram through grammY's Api class; these tests prove that what the
 * sandbox answers reaches the app exactly as api.telegram.org's answers would.
 */

let fx: SandboxFixture;
let api: Api;

beforeEach(async () => {
  fx = await startFixture();
  api = new Api(fx.bot.token, { apiRoot: fx.sandbox.url });
});

afterEach(async () => {
  await fx.sandbox.close();
});

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe("grammY Api against the sandbox", () => {
  it("gets the bot and sends formatted messages", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: fx.bot.id, is_bot: true, username: "acme_leads_bot" });
    const message = await api.sendMessage(fx.chat.id, "New lead: <b>Ann</b>", {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: "Open CRM", url: "https://crm.example.com/leads/1" }]] },
    });
    expect(message).toMatchObject({ message_id: 1, text: "New lead: Ann", chat: { id: fx.chat.id } });
    const [recorded] = await fx.client.messages(fx.bot.id);
    expect(recorded?.raw_text).toBe("New lead: <b>Ann</b>");
    expect(JSON.parse(recorded?.params.link_preview_options ?? "{}")).toEqual({ is_disabled: true });
  });

  it("surfaces 401, 403 and 400 as GrammyError with Telegram's code and description", async () => {
    const stranger = new Api(`${fx.bot.id}:${"z".repeat(35)}`, { apiRoot: fx.sandbox.url });
    expect(await grammyError(stranger.getMe())).toMatchObject({
      error_code: 401,
      description: "Unauthorized",
      method: "getMe",
    });

    await fx.client.blockBot(fx.chat.id);
    expect(await grammyError(api.sendMessage(fx.chat.id, "hi"))).toMatchObject({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    expect(await grammyError(api.sendMessage(424242, "hi"))).toMatchObject({
      error_code: 400,
      description: "Bad Request: chat not found",
    });
    expect(await grammyError(api.sendMessage(fx.chat.id, "<b>x", { parse_mode: "HTML" }))).toMatchObject({
      error_code: 400,
      description: "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    });
  });

  it("delivers retry_after and migrate_to_chat_id in GrammyError.parameters", async () => {
    await api.sendMessage(fx.chat.id, "1");
    await api.sendMessage(fx.chat.id, "2");
    await api.sendMessage(fx.chat.id, "3");
    const limited = await grammyError(api.sendMessage(fx.chat.id, "4"));
    expect(limited.error_code).toBe(429);
    expect(limited.description).toBe("Too Many Requests: retry after 1");
    expect(limited.parameters.retry_after).toBe(1);

    await fx.client.injectFault({ kind: "too_many_requests", retry_after: 12, method: "getMe" });
    expect((await grammyError(api.getMe())).parameters).toEqual({ retry_after: 12 });

    const group = await fx.client.createGroup({ title: "Sales" });
    const { migrate_to_chat_id } = await fx.client.migrateToSupergroup(group.id);
    const migrated = await grammyError(api.sendMessage(group.id, "hi"));
    expect(migrated.error_code).toBe(400);
    expect(migrated.parameters.migrate_to_chat_id).toBe(migrate_to_chat_id);
  });

  it("turns resets, outages and nginx's 502 page into HttpError", async () => {
    await fx.client.injectFault({ kind: "connection_reset" });
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    await fx.client.injectFault({ kind: "bad_gateway" });
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    await fx.client.setOutage(true);
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    await fx.client.setOutage(false);
    await fx.client.injectFault({ kind: "internal_error" });
    expect(await grammyError(api.getMe())).toMatchObject({ error_code: 500, description: "Internal Server Error" });
    await expect(api.getMe()).resolves.toMatchObject({ id: fx.bot.id });
  });

  it("manages the webhook", async () => {
    // Telegram accepts one setWebhook per second per bot; this test sets two in a row.
    await fx.client.disableRateLimits();
    await expect(
      api.setWebhook("https://leadgram.example/api/telegram/webhook", {
        secret_token: "abc_DEF-123",
        allowed_updates: ["message", "my_chat_member"],
      }),
    ).resolves.toBe(true);
    await expect(api.getWebhookInfo()).resolves.toMatchObject({
      url: "https://leadgram.example/api/telegram/webhook",
      pending_update_count: 0,
      allowed_updates: ["message", "my_chat_member"],
    });
    expect(await grammyError(api.setWebhook("http://leadgram.example/hook"))).toMatchObject({
      error_code: 400,
      description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    });
    await expect(api.deleteWebhook()).resolves.toBe(true);
    await expect(api.getWebhookInfo()).resolves.toMatchObject({ url: "" });
  });
});
