import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SandboxClient } from "../../sandbox/client";
import { api, newBotWithChat, registerOwner, requestApi, signUpOwner, type Account } from "../support/api-client";
import type { AppServer } from "../support/app-server";
import { startPollingStack, type PollingStack } from "../support/polling-stack";
import { sleep, waitFor } from "../support/wait";

/**
 * A bot without a webhook is heard by long polling: the suite's server has PUBLIC_API_URL
 * but registers no webhook until a test asks, and the private stacks below have none.
 */

type Integration = {
  owner_chat_id: number | null;
  is_webhook_active: boolean;
  updates_via: "webhook" | "polling" | "none";
  polling_error: { code: string; message: string } | null;
};

async function integrationOf(owner: Account, appUrl = inject("appUrl")): Promise<Integration> {
  const response = await requestApi(appUrl, "GET", "/api/v1/telegram/integration", { token: owner.token });
  expect(response.status).toBe(200);
  return response.body as Integration;
}

async function chatIds(owner: Account): Promise<number[]> {
  const response = await api("GET", "/api/v1/telegram/integration/chats", { token: owner.token });
  return (response.body as { items: { chat_id: number }[] }).items.map((chat) => chat.chat_id);
}

/** Resolves once the app holds a getUpdates open for the bot: an update sent now reaches it by polling. */
const listening = (client: SandboxClient, botId: number, timeoutMs?: number) =>
  waitFor(
    `the app to poll bot ${botId}`,
    async () => ((await client.getBot(botId)).long_polling ? true : undefined),
    timeoutMs,
  );

/** An owner whose bot is connected with no webhook. */
async function pollingBot() {
  const owner = await registerOwner();
  const setup = await newBotWithChat("poll");
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: setup.bot.token },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ is_webhook_active: false, updates_via: "polling", polling_error: null });
  await listening(setup.client, setup.bot.id);
  return { ...setup, owner };
}

/** Sets a webhook straight at the sandbox, behind the server's back. */
async function setWebhookElsewhere(botToken: string): Promise<void> {
  const response = await fetch(`${inject("sandboxUrl")}/bot${botToken}/setWebhook`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: "https://elsewhere.example/hook" }),
  });
  expect(response.status).toBe(200);
}

describe("updates by long polling (no webhook)", () => {
  it("connects the chat that presses Start on the connect link", async () => {
    const { owner, bot, chat, client } = await pollingBot();
    const link = await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token });
    expect(link.status).toBe(201);
    const { id, url } = link.body as { id: string; url: string };
    await client.sendStart(bot.id, chat.id, new URL(url).searchParams.get("start") ?? "");
    const [reply] = await client.waitForMessages(bot.id, { chatId: chat.id, timeoutMs: 10_000 });
    expect(reply?.text).toContain("Этот чат подключён к Leadgram");
    expect((await integrationOf(owner)).owner_chat_id).toBe(chat.id);
    const status = await api("GET", `/api/v1/telegram/integration/connect-link/${id}`, { token: owner.token });
    expect(status.body).toEqual({ status: "connected", chat_id: chat.id });
    expect((await client.getBot(bot.id)).pending_update_count).toBe(0);
  });

  it("answers each /start of a quick burst in one chat, waiting out Telegram's flood limit", async () => {
    const { bot, chat, client } = await pollingBot();
    // More replies at once than a private chat's flood limit lets through (a burst of 3,
    // then one a second): Telegram refuses the rest with a 429 and its retry_after.
    for (let index = 0; index < 5; index += 1) await client.sendStart(bot.id, chat.id);
    await client.waitForMessages(bot.id, { chatId: chat.id, count: 5, timeoutMs: 15_000 });
    await sleep(1_000);
    expect(await client.messages(bot.id, { chatId: chat.id })).toHaveLength(5);
  });

  it("lists a chat that writes to the bot", async () => {
    const { owner, bot, client } = await pollingBot();
    const group = await client.createGroup({ title: "Отдел продаж" });
    await client.sendText(bot.id, group.id, "hello");
    expect(
      await waitFor("the group in the chats list", async () => ((await chatIds(owner)).length ? true : undefined)),
    );
    expect(await chatIds(owner)).toEqual([group.id]);
  });

  it("stops while a webhook is registered and resumes when it is removed", async () => {
    const { owner, bot, chat, client } = await pollingBot();
    const registered = await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} });
    expect(registered.body).toEqual({ success: true, message: "Webhook registered successfully" });
    expect(await integrationOf(owner)).toMatchObject({ updates_via: "webhook", polling_error: null });
    expect((await client.getBot(bot.id)).long_polling).toBe(false);
    // The update arrives by webhook: the sandbox delivers it to the app at once.
    const delivered = await client.sendStart(bot.id, chat.id);
    expect(delivered.status).toBe(200);
    await client.waitForMessages(bot.id, { chatId: chat.id });

    const removed = await api("DELETE", "/api/v1/telegram/integration/webhook", { token: owner.token });
    expect(removed.body).toEqual({ success: true, message: "Webhook removed" });
    expect(await integrationOf(owner)).toMatchObject({ updates_via: "polling", polling_error: null });
    await listening(client, bot.id);
    const group = await client.createGroup({ title: "After the webhook" });
    await client.sendText(bot.id, group.id, "polled again");
    await waitFor("the group in the chats list", async () =>
      (await chatIds(owner)).includes(group.id) ? true : undefined,
    );
    // Sent after the webhook was registered, with a 409 in between: no error left behind.
    expect((await integrationOf(owner)).polling_error).toBeNull();
  });

  it("stops on a 409 from a webhook set elsewhere, says why, and resumes when the owner removes it", async () => {
    const { owner, bot, chat, client } = await pollingBot();
    await setWebhookElsewhere(bot.token);
    const stopped = await waitFor("polling to stop with a conflict", async () => {
      const integration = await integrationOf(owner);
      return integration.polling_error ? integration : undefined;
    });
    expect(stopped).toMatchObject({
      is_webhook_active: false,
      updates_via: "none",
      polling_error: { code: "conflict", message: expect.stringContaining("Conflict") },
    });
    await sleep(6_000); // a scan later, nobody polls it again
    expect((await client.getBot(bot.id)).long_polling).toBe(false);

    const removed = await api("DELETE", "/api/v1/telegram/integration/webhook", { token: owner.token });
    expect(removed.body).toEqual({ success: true, message: "Webhook removed" });
    expect(await integrationOf(owner)).toMatchObject({ updates_via: "polling", polling_error: null });
    await listening(client, bot.id);
    await client.sendStart(bot.id, chat.id);
    await client.waitForMessages(bot.id, { chatId: chat.id, timeoutMs: 10_000 });
  });

  it("stops for a deactivated or deleted integration and starts for a reactivated one", async () => {
    const { owner, bot, client } = await pollingBot();
    const off = await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { is_active: false } });
    expect(off.body).toMatchObject({ updates_via: "none" });
    await waitFor("polling to stop", async () => ((await client.getBot(bot.id)).long_polling ? undefined : true));
    const on = await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { is_active: true } });
    expect(on.body).toMatchObject({ updates_via: "polling" });
    await listening(client, bot.id);
    expect((await api("DELETE", "/api/v1/telegram/integration", { token: owner.token })).status).toBe(204);
    await waitFor("polling to stop", async () => ((await client.getBot(bot.id)).long_polling ? undefined : true));
  });
});

describe("polling across restarts and servers (private stacks)", () => {
  let stack: PollingStack;
  beforeAll(async () => {
    stack = await startPollingStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * Each /start gets one welcome: the welcomes in the chat count the updates processed. A
   * welcome is sent once, after its update commits (a 429 from the chat's flood limit, which
   * the /start arriving together after a restart can hit, is waited out): a crash between the
   * two would lose the welcome but not the update, so the kill below waits for every welcome.
   */
  async function welcomes(botId: number, chatId: number): Promise<number> {
    return (await stack.client.messages(botId, { chatId })).length;
  }

  async function connectedBotOn(app: AppServer) {
    const owner = await signUpOwner(app.url, "Polling site");
    const bot = await stack.client.createBot({ username: `poll_${randomUUID().slice(0, 8)}_bot` });
    const chat = await stack.client.createPrivateChat({ first_name: "Owner" });
    const created = await requestApi(app.url, "POST", "/api/v1/telegram/integration", {
      token: owner.token,
      body: { bot_token: bot.token },
    });
    expect(created.status).toBe(201);
    return { owner, bot, chat };
  }

  it("neither loses nor repeats an update across a restart or a crash", async () => {
    let app = await stack.startServer();
    const { owner, bot, chat } = await connectedBotOn(app);
    await listening(stack.client, bot.id);
    await stack.client.sendStart(bot.id, chat.id);
    await stack.client.waitForMessages(bot.id, { chatId: chat.id, timeoutMs: 10_000 });

    const stopping = Date.now();
    await app.stop();
    // The held long poll is aborted on SIGTERM, not waited out.
    expect(Date.now() - stopping).toBeLessThan(10_000);
    for (let index = 0; index < 3; index += 1) await stack.client.sendStart(bot.id, chat.id);

    app = await stack.startServer();
    await stack.client.waitForMessages(bot.id, { chatId: chat.id, count: 4, timeoutMs: 40_000 });

    // A crash: on PostgreSQL the next server takes the bot over once the dead one's lease runs
    // out (30 s after its last renewal, then up to a 5 s scan): most of the wait below.
    process.kill(app.pid, "SIGKILL");
    await app.stop();
    for (let index = 0; index < 2; index += 1) await stack.client.sendStart(bot.id, chat.id);
    app = await stack.startServer();
    await stack.client.waitForMessages(bot.id, { chatId: chat.id, count: 6, timeoutMs: 60_000 });

    await listening(stack.client, bot.id);
    await sleep(1_000);
    expect(await welcomes(bot.id, chat.id)).toBe(6);
    expect((await stack.client.getBot(bot.id)).pending_update_count).toBe(0);
    expect((await integrationOf(owner, app.url)).updates_via).toBe("polling");
    await app.stop();
  }, 150_000);

  it.runIf(inject("database") === "postgresql")(
    "polls each bot from one server at a time, and another takes over when it dies",
    async () => {
      const first = await stack.startServer();
      const second = await stack.startServer();
      const bots = [];
      for (let index = 0; index < 3; index += 1) bots.push(await connectedBotOn(index % 2 ? second : first));
      for (const { bot } of bots) await listening(stack.client, bot.id);
      const conflictsBefore = (await stack.client.stats()).responses["409"] ?? 0;

      // Both servers scan for bots to poll several times over.
      await sleep(12_000);
      for (const { bot, chat } of bots) await stack.client.sendStart(bot.id, chat.id);
      for (const { bot, chat } of bots) await stack.client.waitForMessages(bot.id, { chatId: chat.id });
      expect((await stack.client.stats()).responses["409"] ?? 0).toBe(conflictsBefore);

      // The first server dies holding its bots; the second takes them over when the leases run out.
      process.kill(first.pid, "SIGKILL");
      await first.stop();
      for (const { bot, chat } of bots) await stack.client.sendStart(bot.id, chat.id);
      for (const { bot, chat } of bots)
        await stack.client.waitForMessages(bot.id, { chatId: chat.id, count: 2, timeoutMs: 60_000 });
      await sleep(1_000);
      for (const { bot, chat } of bots) expect(await welcomes(bot.id, chat.id)).toBe(2);
      await second.stop();
    },
    150_000,
  );
});
