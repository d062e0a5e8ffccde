import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { pruneUpdateIds, UPDATE_ID_RETENTION_MS } from "@/lib/telegram/webhook/prune-update-ids";
import { UPDATES_PER_SECOND_PER_INTEGRATION } from "@/lib/telegram/webhook/update-throttle";
import { api, registerOwner, type Account } from "../support/api-client";
import { connectedBot, postUpdate, textUpdate } from "../support/telegram-webhook";

async function chats(owner: Account) {
  const response = await api("GET", "/api/v1/telegram/integration/chats", { token: owner.token });
  expect(response.status).toBe(200);
  return (
    response.body as {
      items: {
        chat_id: number;
        type: string;
        title: string | null;
        username: string | null;
        first_name: string | null;
        is_owner_chat: boolean;
      }[];
    }
  ).items;
}

async function ownerChatId(owner: Account): Promise<number | null> {
  return (
    (await api("GET", "/api/v1/telegram/integration", { token: owner.token })).body as { owner_chat_id: number | null }
  ).owner_chat_id;
}

async function linkStatus(owner: Account, linkId: string) {
  const { status, body } = await api("GET", `/api/v1/telegram/integration/connect-link/${encodeURIComponent(linkId)}`, {
    token: owner.token,
  });
  return { status, body };
}

async function expireConnectCodes(): Promise<void> {
  const url = inject("databaseUrl");
  const sql = `UPDATE "TelegramConnectCode" SET "expiresAt" = '2000-01-01T00:00:00.000Z'`;
  if (url.startsWith("file:")) {
    const sqlite = new Database(url.slice("file:".length));
    sqlite.exec(sql);
    sqlite.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

describe("POST /api/v1/telegram/webhook/<path id>", () => {
  it("answers /start with a welcome that shows the chat id, and records the chat", async () => {
    const { bot, chat, client, owner } = await connectedBot();
    const delivery = await client.sendStart(bot.id, chat.id);
    expect(delivery.status).toBe(200);
    const [reply] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(reply?.text).toContain(`Chat ID этого чата: ${chat.id}`);

    const recorded = await chats(owner);
    expect(recorded).toEqual([
      expect.objectContaining({
        chat_id: chat.id,
        type: "private",
        first_name: "Owner",
        username: chat.username,
        is_owner_chat: false,
      }),
    ]);
  });

  it("answers /start with the owner's welcome message when one is set", async () => {
    const { bot, chat, client } = await connectedBot("Привет! Я бот для уведомлений о заявках.");
    await client.sendStart(bot.id, chat.id);
    const [reply] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(reply?.text).toBe("Привет! Я бот для уведомлений о заявках.");
  });

  it("refuses a missing or wrong secret with 401 and processes nothing", async () => {
    const { owner, pathId, secret, bot, client } = await connectedBot();
    for (const wrong of [null, "", "wrong-secret", secret.slice(0, -1), `${secret}x`]) {
      const response = await postUpdate(pathId, textUpdate(1, 777_000_001, "/start"), wrong);
      expect(response.status).toBe(401);
    }
    expect(await chats(owner)).toEqual([]);
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("answers 404 for an unknown path id", async () => {
    const { secret } = await connectedBot();
    expect((await postUpdate("no-such-integration", textUpdate(1, 1, "/start"), secret)).status).toBe(404);
  });

  it("processes each update_id once, even when Telegram redelivers it", async () => {
    const { pathId, secret, bot, client } = await connectedBot();
    const update = textUpdate(424_242, 777_000_002, "/start");
    await client.createPrivateChat({ id: 777_000_002, first_name: "Ivan" });
    for (let delivery = 0; delivery < 3; delivery += 1)
      expect((await postUpdate(pathId, update, secret)).status).toBe(200);
    await client.waitForMessages(bot.id, { chatId: 777_000_002 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await client.messages(bot.id, { chatId: 777_000_002 })).toHaveLength(1);
  });

  it("never answers 5xx to bad bodies or updates it does not handle", async () => {
    const { pathId, secret, owner } = await connectedBot();
    expect((await postUpdate(pathId, null, secret, "{not json")).status).toBe(400);
    expect((await postUpdate(pathId, { hello: "world" }, secret)).status).toBe(400);
    expect((await postUpdate(pathId, { update_id: 5, edited_channel_post: { anything: true } }, secret)).status).toBe(
      200,
    );
    expect((await postUpdate(pathId, { update_id: 6, message: { chat: { id: "not a number" } } }, secret)).status).toBe(
      400,
    );
    expect(await chats(owner)).toEqual([]);
  });

  it("records groups and other chats that write to the bot, newest first", async () => {
    const { bot, chat, client, owner } = await connectedBot();
    const group = await client.createGroup({ title: "Отдел продаж" });
    await client.sendText(bot.id, chat.id, "hello");
    await client.sendText(bot.id, group.id, "hi all");
    const recorded = await chats(owner);
    expect(recorded.map((entry) => entry.chat_id)).toEqual([group.id, chat.id]);
    expect(recorded[0]).toMatchObject({ type: "group", title: "Отдел продаж" });
  });

  it("follows the owner's group when it becomes a supergroup", async () => {
    const { owner, pathId, secret } = await connectedBot();
    await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { owner_chat_id: -4_001_234 } });
    const migration = {
      update_id: 90,
      message: {
        message_id: 3,
        date: 1_760_000_000,
        chat: { id: -4_001_234, type: "group", title: "Sales" },
        migrate_to_chat_id: -1_009_876_543_210,
      },
    };
    expect((await postUpdate(pathId, migration, secret)).status).toBe(200);
    expect(await ownerChatId(owner)).toBe(-1_009_876_543_210);
  });

  it("ignores the migration of a group that is not the owner's chat", async () => {
    const { owner, pathId, secret } = await connectedBot();
    await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { owner_chat_id: -4_001_234 } });
    const elsewhere = {
      update_id: 91,
      message: {
        message_id: 4,
        date: 1_760_000_000,
        chat: { id: -4_005_678, type: "group", title: "Other" },
        migrate_to_chat_id: -1_009_999_999_999,
      },
    };
    expect((await postUpdate(pathId, elsewhere, secret)).status).toBe(200);
    expect(await ownerChatId(owner)).toBe(-4_001_234);
  });
});

describe("a flood of updates to one bot", () => {
  it(`is cut at ${UPDATES_PER_SECOND_PER_INTEGRATION} a second with 429 + Retry-After, for that bot only, and nothing refused is lost`, async () => {
    const flooded = await connectedBot();
    const other = await connectedBot();
    const updates = Array.from({ length: UPDATES_PER_SECOND_PER_INTEGRATION * 3 }, (_, n) =>
      textUpdate(5000 + n, 770_000_000 + n, "hi"),
    );
    const started = Date.now();
    const answers = await Promise.all(updates.map((update) => postUpdate(flooded.pathId, update, flooded.secret)));
    const seconds = (Date.now() - started) / 1000;
    expect((await postUpdate(other.pathId, textUpdate(1, other.chat.id, "hi"), other.secret)).status).toBe(200);

    const accepted = answers.filter((answer) => answer.status === 200).length;
    const refused = updates.filter((_, n) => answers[n]?.status === 429);
    expect(accepted + refused.length).toBe(updates.length);
    expect(accepted).toBeLessThanOrEqual(UPDATES_PER_SECOND_PER_INTEGRATION * Math.ceil(seconds + 1));
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of answers.filter((candidate) => candidate.status === 429)) {
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await answer.json()).toEqual({ detail: "Too many requests, try again later", code: "rate_limited" });
    }

    // Telegram redelivers what it got no 2xx for, at the pace it is told.
    let waiting = refused;
    while (waiting.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const retried = await Promise.all(waiting.map((update) => postUpdate(flooded.pathId, update, flooded.secret)));
      waiting = waiting.filter((_, n) => retried[n]?.status === 429);
    }
    const recorded = new Set((await chats(flooded.owner)).map((chat) => chat.chat_id));
    expect(updates.filter((update) => !recorded.has(update.message.chat.id))).toEqual([]);
  });
});

describe("the update_id de-duplication table", () => {
  it("forgets update_ids recorded more than 48 hours ago and keeps the newer ones", async () => {
    const { owner } = await connectedBot();
    const database = createDb(inject("databaseUrl"));
    try {
      const { id: integrationId } = await database.telegramIntegration.findUniqueOrThrow({
        where: { tenantId: owner.tenantId },
      });
      const now = new Date();
      const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
      await database.telegramUpdate.createMany({
        data: [
          { integrationId, updateId: 1n, receivedAt: hoursAgo(72) },
          { integrationId, updateId: 2n, receivedAt: hoursAgo(49) },
          { integrationId, updateId: 3n, receivedAt: hoursAgo(47) },
          { integrationId, updateId: 4n, receivedAt: hoursAgo(1) },
        ],
      });
      expect(UPDATE_ID_RETENTION_MS).toBe(48 * 3_600_000);
      expect(await pruneUpdateIds(database, now)).toBeGreaterThanOrEqual(2);
      const kept = await database.telegramUpdate.findMany({ where: { integrationId }, orderBy: { updateId: "asc" } });
      expect(kept.map((row) => row.updateId)).toEqual([3n, 4n]);
    } finally {
      await database.$disconnect();
    }
  });
});

describe("connect links (t.me deep link binds the owner's chat)", () => {
  it("binds the chat that presses Start on the link and confirms in that chat", async () => {
    const { owner, bot, chat, client } = await connectedBot();
    const link = await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token });
    expect(link.status).toBe(201);
    const { id, url, expires_at } = link.body as { id: string; url: string; expires_at: string };
    expect(url).toMatch(new RegExp(`^https://t\\.me/${bot.username}\\?start=[A-Za-z0-9_-]{1,64}$`));
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    expect(url).not.toContain(id);
    expect(await linkStatus(owner, id)).toEqual({ status: 200, body: { status: "waiting", chat_id: null } });

    await client.sendStart(bot.id, chat.id, new URL(url).searchParams.get("start") ?? "");
    const [reply] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(reply?.text).toContain("Этот чат подключён к Leadgram");
    expect(await ownerChatId(owner)).toBe(chat.id);
    expect((await chats(owner))[0]).toMatchObject({ chat_id: chat.id, is_owner_chat: true });
    expect(await linkStatus(owner, id)).toEqual({ status: 200, body: { status: "connected", chat_id: chat.id } });
  });

  it("reports a link used by the chat that already was the owner's chat as connected", async () => {
    const { owner, bot, chat, client } = await connectedBot();
    for (const round of [1, 2]) {
      const link = (await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token })).body as {
        id: string;
        url: string;
      };
      await client.sendStart(bot.id, chat.id, new URL(link.url).searchParams.get("start") ?? "");
      await client.waitForMessages(bot.id, { chatId: chat.id, count: round });
      expect(await linkStatus(owner, link.id)).toEqual({
        status: 200,
        body: { status: "connected", chat_id: chat.id },
      });
    }
    expect(await ownerChatId(owner)).toBe(chat.id);
  });

  it("works once: a second chat using the same link is told so and nothing changes", async () => {
    const { owner, bot, chat, client } = await connectedBot();
    const link = await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token });
    const payload = new URL((link.body as { url: string }).url).searchParams.get("start") ?? "";
    await client.sendStart(bot.id, chat.id, payload);
    const stranger = await client.createPrivateChat({ first_name: "Stranger" });
    await client.sendStart(bot.id, stranger.id, payload);
    const [reply] = await client.waitForMessages(bot.id, { chatId: stranger.id });
    expect(reply?.text).toContain("устарела или уже использована");
    expect(await ownerChatId(owner)).toBe(chat.id);
  });

  it("refuses an expired link and a made-up code", async () => {
    const { owner, bot, chat, client } = await connectedBot();
    const link = await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token });
    await expireConnectCodes();
    await client.sendStart(
      bot.id,
      chat.id,
      new URL((link.body as { url: string }).url).searchParams.get("start") ?? "",
    );
    await client.sendStart(bot.id, chat.id, "c_madeupcode");
    const replies = await client.waitForMessages(bot.id, { chatId: chat.id, count: 2 });
    for (const reply of replies) expect(reply.text).toContain("устарела или уже использована");
    expect(await ownerChatId(owner)).toBeNull();
    expect(await linkStatus(owner, (link.body as { id: string }).id)).toEqual({
      status: 200,
      body: { status: "expired", chat_id: null },
    });
  });

  it("tells a link's status only to its own site", async () => {
    const { owner } = await connectedBot();
    const { owner: other } = await connectedBot();
    const link = (await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token })).body as {
      id: string;
    };
    expect((await linkStatus(other, link.id)).status).toBe(404);
    expect(await linkStatus(owner, "no-such-link")).toEqual({
      status: 404,
      body: { detail: "Connect link not found", code: "not_found" },
    });
  });

  it("is for site owners and admins only, and needs an integration", async () => {
    const owner = await registerOwner();
    expect((await api("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token })).status).toBe(404);
    expect((await api("GET", "/api/v1/telegram/integration/chats", { token: owner.token })).status).toBe(404);
  });
});

describe("a bot connected end to end", () => {
  it("connects through the API, answers /start and delivers the test message", async () => {
    const { owner, bot, chat, client } = await connectedBot();
    await client.sendStart(bot.id, chat.id);
    const chosen = (await chats(owner))[0]?.chat_id;
    expect(chosen).toBe(chat.id);
    await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { owner_chat_id: chosen } });
    const test = await api("POST", "/api/v1/telegram/integration/test", { token: owner.token, body: {} });
    expect(test.body).toEqual({ success: true, message: "Test message sent!", reason_code: null, chat_id: chat.id });
    const messages = await client.waitForMessages(bot.id, { chatId: chat.id, count: 2 });
    expect(messages[1]?.text).toContain("тестовое сообщение");
  });
});
