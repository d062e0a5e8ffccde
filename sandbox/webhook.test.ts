import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, startReceiver, type Receiver, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;
let receiver: Receiver;

beforeEach(async () => {
  receiver = await startReceiver();
  fx = await startFixture({ rateLimits: { enabled: false }, deliverTo: receiver.origin, deliveryTimeoutMs: 500 });
});

afterEach(async () => {
  await fx.sandbox.close();
  await receiver.close();
});

describe("setWebhook, deleteWebhook, getWebhookInfo", () => {
  it("accepts an https URL and reports it back", async () => {
    const set = await fx.call("setWebhook", {
      url: "https://leadgram.example/api/telegram/webhook/acme",
      secret_token: "s3cr3t_token-OK",
      allowed_updates: ["message", "my_chat_member"],
      max_connections: 500,
      drop_pending_updates: true,
    });
    expect(set).toEqual({ status: 200, body: { ok: true, result: true, description: "Webhook was set" } });
    const again = await fx.call("setWebhook", {
      url: "https://leadgram.example/api/telegram/webhook/acme",
      secret_token: "s3cr3t_token-OK",
      max_connections: 100,
    });
    expect(again.body.description).toBe("Webhook is already set");

    const info = await fx.call("getWebhookInfo");
    expect(info.body).toEqual({
      ok: true,
      result: {
        url: "https://leadgram.example/api/telegram/webhook/acme",
        has_custom_certificate: false,
        pending_update_count: 0,
        max_connections: 100,
        ip_address: "<unknown>",
        allowed_updates: ["message", "my_chat_member"],
      },
    });
  });

  it("demands HTTPS on an allowed port", async () => {
    const plain = await fx.call("setWebhook", { url: "http://leadgram.example/hook" });
    expect(plain).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
      },
    });
    const port = await fx.call("setWebhook", { url: "https://leadgram.example:3000/hook" });
    expect(port.body.description).toBe(
      "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    );
    const local = await fx.call("setWebhook", { url: "https://127.0.0.1/hook" });
    expect(local.body.description).toBe("Bad Request: bad webhook: IP address 127.0.0.1 is reserved");
    const ftp = await fx.call("setWebhook", { url: "ftp://leadgram.example/hook" });
    expect(ftp.body.description).toBe("Bad Request: invalid webhook URL specified");
  });

  it("checks the secret token's characters and length", async () => {
    const url = "https://leadgram.example/hook";
    const bad = await fx.call("setWebhook", { url, secret_token: "has spaces!" });
    expect(bad).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: secret token contains unallowed characters" },
    });
    const long = await fx.call("setWebhook", { url, secret_token: "a".repeat(257) });
    expect(long.body.description).toBe("Bad Request: secret token is too long");
    expect((await fx.call("setWebhook", { url, secret_token: "a".repeat(256) })).status).toBe(200);
  });

  it("removes the webhook with an empty url or deleteWebhook", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    expect((await fx.call("setWebhook", { url: "" })).body).toEqual({
      ok: true,
      result: true,
      description: "Webhook was deleted",
    });
    expect((await fx.call("deleteWebhook")).body).toEqual({
      ok: true,
      result: true,
      description: "Webhook is already deleted",
    });
    expect((await fx.call("getWebhookInfo")).body.result).toEqual({
      url: "",
      has_custom_certificate: false,
      pending_update_count: 0,
    });
  });
});

describe("webhook delivery", () => {
  it("POSTs the update with the secret header to the deliverTo origin, keeping the path", async () => {
    await fx.call("setWebhook", {
      url: "https://leadgram.example/api/telegram/webhook/acme?x=1",
      secret_token: "hook_secret",
    });
    const outcome = await fx.client.sendStart(fx.bot.id, fx.chat.id, "campaign-42");
    expect(outcome).toMatchObject({
      delivered: true,
      status: 200,
      target_url: `${receiver.origin}/api/telegram/webhook/acme?x=1`,
    });
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/api/telegram/webhook/acme?x=1");
    expect(request.headers["x-telegram-bot-api-secret-token"]).toBe("hook_secret");
    expect(request.headers["content-type"]).toBe("application/json");
    const update = request.body as Update;
    expect(update.update_id).toBe(outcome.update_id);
    expect(update.message).toMatchObject({
      message_id: 1,
      from: { id: fx.chat.id, is_bot: false, first_name: "Ann", username: "ann_lead" },
      chat: { id: fx.chat.id, type: "private", first_name: "Ann" },
      text: "/start campaign-42",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    });
  });

  it("sends no secret header without a secret and numbers updates per bot", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    const first = await fx.client.sendText(fx.bot.id, fx.chat.id, "I want a quote");
    const second = await fx.client.sendText(fx.bot.id, fx.chat.id, "hello?");
    expect(second.update_id).toBe(first.update_id + 1);
    expect(receiver.requests[0]!.headers["x-telegram-bot-api-secret-token"]).toBeUndefined();
    expect((receiver.requests[1]!.body as Update).message?.message_id).toBe(2);
  });

  it("delivers group messages and my_chat_member updates, which change what the bot may do", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    const group = await fx.client.createGroup({ title: "Sales team" });
    await fx.client.sendMyChatMember(fx.bot.id, group.id, "member");
    await fx.client.sendText(fx.bot.id, group.id, "hi all", fx.chat.id);
    const [added, groupMessage] = receiver.requests.map((r) => r.body as Update);
    expect(added?.my_chat_member).toMatchObject({
      chat: { id: group.id, type: "group", title: "Sales team" },
      new_chat_member: { status: "member", user: { id: fx.bot.id, is_bot: true } },
    });
    expect(groupMessage?.message).toMatchObject({ chat: { id: group.id }, from: { id: fx.chat.id }, text: "hi all" });

    const blocked = await fx.client.sendMyChatMember(fx.bot.id, fx.chat.id, "kicked");
    expect((blocked.update as Update).my_chat_member).toMatchObject({
      old_chat_member: { status: "member" },
      new_chat_member: { status: "kicked", until_date: 0 },
    });
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "hi" })).status).toBe(403);
    await fx.client.sendStart(fx.bot.id, fx.chat.id);
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "welcome back" })).status).toBe(200);
  });

  it("accepts a raw update and honours allowed_updates", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook", allowed_updates: ["message"] });
    const raw = await fx.client.sendUpdate(fx.bot.id, {
      update: {
        callback_query: {
          id: "1",
          from: { id: fx.chat.id, is_bot: false, first_name: "Ann" },
          chat_instance: "c",
          data: "x",
        },
      },
    });
    expect(raw).toMatchObject({ delivered: false, error: 'update type "callback_query" is not in allowed_updates' });
    const message = await fx.client.sendUpdate(fx.bot.id, {
      update: {
        message: { message_id: 9, date: 1, chat: { id: fx.chat.id, type: "private", first_name: "Ann" }, text: "raw" },
      },
    });
    expect(message.delivered).toBe(true);
    expect(receiver.requests.map((r) => (r.body as Update).message?.text)).toEqual(["raw"]);
  });

  it("records failed deliveries like Telegram and keeps the update pending", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    receiver.respond = (_request, response) => {
      response.writeHead(500);
      response.end("boom");
    };
    const failed = await fx.client.sendText(fx.bot.id, fx.chat.id, "hello");
    expect(failed).toMatchObject({
      delivered: false,
      status: 500,
      error: "Wrong response from the webhook: 500 Internal Server Error",
    });
    const info = (await fx.call("getWebhookInfo")).body.result as Record<string, unknown>;
    expect(info).toMatchObject({
      pending_update_count: 1,
      last_error_message: "Wrong response from the webhook: 500 Internal Server Error",
    });
    expect(Math.abs(Number(info.last_error_date) - Date.now() / 1000)).toBeLessThan(5);

    receiver.respond = (_request, response) => response.end();
    const retried = await fx.client.redeliver(fx.bot.id);
    expect(retried.map((o) => o.delivered)).toEqual([true]);
    expect((await fx.call("getWebhookInfo")).body.result).toMatchObject({ pending_update_count: 0 });
  });

  it("reports an unreachable or slow app with Telegram's wording", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    receiver.respond = () => undefined; // never answers
    const slow = await fx.client.sendText(fx.bot.id, fx.chat.id, "anyone?");
    expect(slow).toMatchObject({ delivered: false, error: "Read timeout expired" });

    await receiver.close();
    const refused = await fx.client.sendText(fx.bot.id, fx.chat.id, "hello?");
    expect(refused).toMatchObject({ delivered: false, error: "Connection refused" });
    const info = (await fx.call("getWebhookInfo")).body.result;
    expect(info).toMatchObject({ pending_update_count: 2, last_error_message: "Connection refused" });
    await fx.call("deleteWebhook", { drop_pending_updates: true });
    expect((await fx.call("getWebhookInfo")).body.result).toMatchObject({ pending_update_count: 0 });
  });

  it("keeps updates pending while no webhook is set", async () => {
    const outcome = await fx.client.sendText(fx.bot.id, fx.chat.id, "early bird");
    expect(outcome).toMatchObject({ delivered: false });
    expect((await fx.call("getWebhookInfo")).body.result).toMatchObject({ url: "", pending_update_count: 1 });
  });

  it("lets the app call the Bot API while it handles the webhook", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    receiver.respond = (request, response) => {
      const chatId = (request.body as Update).message?.chat.id;
      void fx.call("sendMessage", { chat_id: chatId, text: "Got it, thanks!" }).then((reply) => {
        response.writeHead(reply.status === 200 ? 200 : 500);
        response.end();
      });
    };
    const outcome = await fx.client.sendText(fx.bot.id, fx.chat.id, "I need 3 licences");
    expect(outcome).toMatchObject({ delivered: true, status: 200 });
    const [reply] = await fx.client.messages(fx.bot.id, { chatId: fx.chat.id });
    expect(reply).toMatchObject({ text: "Got it, thanks!", via: "api", message_id: 2 });
  });

  it("executes a sendMessage returned in the webhook response and records it", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    receiver.respond = (request, response) => {
      const chatId = (request.body as Update).message?.chat.id;
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ method: "sendMessage", chat_id: chatId, text: "<i>Thanks!</i>", parse_mode: "HTML" }),
      );
    };
    const outcome = await fx.client.sendStart(fx.bot.id, fx.chat.id);
    expect(outcome.webhook_reply).toEqual({ method: "sendMessage", ok: true });
    const [reply] = await fx.client.messages(fx.bot.id);
    expect(reply).toMatchObject({ text: "Thanks!", raw_text: "<i>Thanks!</i>", via: "webhook_reply", message_id: 2 });
  });

  it("can change deliverTo at run time", async () => {
    await fx.call("setWebhook", { url: "https://leadgram.example/hook" });
    const other = await startReceiver();
    try {
      await fx.client.setDeliverTo(other.origin);
      await fx.client.sendText(fx.bot.id, fx.chat.id, "to the other one");
      expect(other.requests).toHaveLength(1);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
