import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { memberForTelegramUser, onlyMembersMayPress } from "@/lib/telegram/members/member-for-telegram-user";
import type { SandboxClient } from "../../sandbox/client";
import { addMember, api, newBotWithChat, registerOwner, type Account } from "../support/api-client";
import { connectedBot } from "../support/telegram-webhook";

/**
 * Members link their own Telegram account with a one-time t.me link (POST
 * /api/v1/auth/telegram-link); the Telegram user who presses Start with it in a private chat
 * with the site's bot becomes theirs, so a press in the site's chats names the member.
 */

const LINK = "/api/v1/auth/telegram-link";
const NO_LONGER_VALID = "Ссылка для привязки аккаунта устарела или уже использована";
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const database = createDb(inject("databaseUrl"));
afterAll(() => database.$disconnect());

type Bot = { id: number; username: string };

async function createLink(caller: Account) {
  const response = await api<{ id: string; url: string; expires_at: string }>("POST", LINK, { token: caller.token });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/** The deep link's payload, as Telegram passes it to the bot after /start. */
function payloadOf(url: string, bot: Bot): string {
  const match = url.match(new RegExp(`^https://t\\.me/${bot.username}\\?start=(l_[A-Za-z0-9_-]+)$`));
  if (!match?.[1]) throw new Error(`not an account link of ${bot.username}: ${url}`);
  return match[1];
}

async function linkState(caller: Account) {
  const response = await api("GET", LINK, { token: caller.token });
  expect(response.status).toBe(200);
  return response.body as {
    account: { telegram_user_id: number; username: string | null; name: string; linked_at: string } | null;
    link: { id: string; status: string; expires_at: string } | null;
  };
}

async function telegramOf(owner: Account): Promise<Record<string, unknown>> {
  const response = await api("GET", "/api/v1/tenant/members", { token: owner.token });
  expect(response.status).toBe(200);
  return Object.fromEntries(
    (response.body as { email: string; telegram: unknown }[]).map((member) => [member.email, member.telegram]),
  );
}

/** A Telegram user with a private chat that started the sandbox's bots. */
function telegramUser(client: SandboxClient, firstName = "Ivan", lastName?: string) {
  return client.createPrivateChat({
    first_name: firstName,
    ...(lastName ? { last_name: lastName } : {}),
    username: `tg_${randomUUID().slice(0, 8)}`,
  });
}

/** Presses Start with the payload in the chat and returns the bot's reply. */
async function pressStart(client: SandboxClient, bot: Bot, chatId: number, payload: string): Promise<string> {
  const before = (await client.messages(bot.id, { chatId })).length;
  await client.sendStart(bot.id, chatId, payload);
  const replies = await client.waitForMessages(bot.id, { chatId, count: before + 1 });
  return replies.at(-1)?.text ?? "";
}

describe("POST /api/v1/auth/telegram-link and /start l_<code>", () => {
  it("links the member's Telegram account, which the members list then shows", async () => {
    const { owner, bot, client } = await connectedBot();
    const member = await addMember(owner, "member");
    const created = await createLink(member);
    const lifetime = Date.parse(created.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);
    expect(await linkState(member)).toEqual({
      account: null,
      link: { id: created.id, status: "waiting", expires_at: created.expires_at },
    });

    const ivan = await telegramUser(client, "Ivan", "Petrov");
    const reply = await pressStart(client, bot, ivan.id, payloadOf(created.url, bot));
    expect(reply).toContain(`привязан к ${member.email}`);

    const state = await linkState(member);
    expect(state).toEqual({
      account: {
        telegram_user_id: ivan.id,
        username: ivan.username,
        name: "Ivan Petrov",
        linked_at: expect.any(String),
      },
      link: { id: created.id, status: "used", expires_at: created.expires_at },
    });
    expect(state.account?.linked_at).toMatch(TIMESTAMP);
    expect(await telegramOf(owner)).toEqual({
      [owner.email]: null,
      [member.email]: { telegram_user_id: ivan.id, username: ivan.username, name: "Ivan Petrov" },
    });
    // The owner's own link state is theirs alone.
    expect(await linkState(owner)).toEqual({ account: null, link: null });
  });

  it("works the same when the bot is heard by long polling", async () => {
    const owner = await registerOwner();
    const { bot, client } = await newBotWithChat("poll");
    const connected = await api("POST", "/api/v1/telegram/integration", {
      token: owner.token,
      body: { bot_token: bot.token },
    });
    expect(connected.body).toMatchObject({ updates_via: "polling" });
    const deadline = Date.now() + 15_000;
    while (!(await client.getBot(bot.id)).long_polling) {
      if (Date.now() > deadline) throw new Error("the app never polled the bot");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const created = await createLink(owner);
    const anna = await telegramUser(client, "Anna");
    expect(await pressStart(client, bot, anna.id, payloadOf(created.url, bot))).toContain(`привязан к ${owner.email}`);
    expect((await linkState(owner)).account).toMatchObject({ telegram_user_id: anna.id, name: "Anna" });
  });

  it("refuses a used link, an expired one, and one replaced by a newer link", async () => {
    const { owner, bot, client } = await connectedBot();
    const first = await createLink(owner);
    const ivan = await telegramUser(client);
    const eve = await telegramUser(client, "Eve");
    expect(await pressStart(client, bot, ivan.id, payloadOf(first.url, bot))).toContain("привязан");
    // Used: a second press, even by someone else, links nobody.
    expect(await pressStart(client, bot, eve.id, payloadOf(first.url, bot))).toContain(NO_LONGER_VALID);
    expect((await linkState(owner)).account?.telegram_user_id).toBe(ivan.id);

    const expired = await createLink(owner);
    await database.telegramAccountLinkCode.updateMany({
      where: { codeHash: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await linkState(owner)).link).toEqual({
      id: expired.id,
      status: "expired",
      expires_at: expect.any(String),
    });
    expect(await pressStart(client, bot, eve.id, payloadOf(expired.url, bot))).toContain(NO_LONGER_VALID);

    const older = await createLink(owner);
    const newer = await createLink(owner);
    expect(await pressStart(client, bot, eve.id, payloadOf(older.url, bot))).toContain(NO_LONGER_VALID);
    expect((await linkState(owner)).link).toMatchObject({ id: newer.id, status: "waiting" });
    expect((await linkState(owner)).account?.telegram_user_id).toBe(ivan.id);
  });

  it("links nobody from a group, and leaves the code for the private chat", async () => {
    const { owner, bot, client } = await connectedBot();
    const created = await createLink(owner);
    const group = await client.createGroup({ title: "Отдел продаж" });
    await client.sendText(bot.id, group.id, `/start ${payloadOf(created.url, bot)}`);
    const [reply] = await client.waitForMessages(bot.id, { chatId: group.id });
    expect(reply?.text).toContain("только в личном чате");
    expect(await linkState(owner)).toEqual({
      account: null,
      link: { id: created.id, status: "waiting", expires_at: created.expires_at },
    });
  });

  it("moves an account linked to another member, and says from whom", async () => {
    const { owner, bot, client } = await connectedBot();
    const admin = await addMember(owner, "admin");
    const ivan = await telegramUser(client);
    await pressStart(client, bot, ivan.id, payloadOf((await createLink(owner)).url, bot));
    const reply = await pressStart(client, bot, ivan.id, payloadOf((await createLink(admin)).url, bot));
    expect(reply).toContain(`привязан к ${admin.email}`);
    expect(reply).toContain(`Раньше он был привязан к ${owner.email}`);
    expect(await telegramOf(owner)).toEqual({
      [owner.email]: null,
      [admin.email]: expect.objectContaining({ telegram_user_id: ivan.id }),
    });

    // A member who links another account replaces their own.
    const petr = await telegramUser(client, "Petr");
    const relinked = await pressStart(client, bot, petr.id, payloadOf((await createLink(admin)).url, bot));
    expect(relinked).not.toContain("Раньше");
    expect((await telegramOf(owner))[admin.email]).toMatchObject({ telegram_user_id: petr.id, name: "Petr" });
  });

  it("needs the site's active bot with a username", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const none = await api("POST", LINK, { token: member.token });
    expect(none.status).toBe(409);
    expect(none.body).toMatchObject({ code: "integration_missing" });

    const { bot } = await newBotWithChat();
    await api("POST", "/api/v1/telegram/integration", { token: owner.token, body: { bot_token: bot.token } });
    await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { is_active: false } });
    const inactive = await api("POST", LINK, { token: member.token });
    expect(inactive.status).toBe(409);
    expect(inactive.body).toMatchObject({ code: "integration_missing" });
  });

  it("is refused without a session or token", async () => {
    for (const method of ["POST", "GET", "DELETE"]) {
      const response = await api(method, LINK);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: "not_authenticated" });
    }
    expect((await api("PUT", LINK, { token: (await registerOwner()).token })).status).toBe(405);
  });
});

describe("DELETE /api/v1/auth/telegram-link", () => {
  it("unlinks the caller's own account only, and answers 204 when nothing is linked", async () => {
    const { owner, bot, client } = await connectedBot();
    const member = await addMember(owner, "member");
    const ivan = await telegramUser(client);
    const petr = await telegramUser(client, "Petr");
    await pressStart(client, bot, ivan.id, payloadOf((await createLink(owner)).url, bot));
    await pressStart(client, bot, petr.id, payloadOf((await createLink(member)).url, bot));

    expect((await api("DELETE", LINK, { token: member.token })).status).toBe(204);
    expect(await linkState(member)).toEqual({ account: null, link: null });
    expect(await telegramOf(owner)).toEqual({
      [owner.email]: expect.objectContaining({ telegram_user_id: ivan.id }),
      [member.email]: null,
    });
    expect((await api("DELETE", LINK, { token: member.token })).status).toBe(204);
  });
});

describe("memberForTelegramUser", () => {
  it("finds the member who linked the account in that site only, until they leave", async () => {
    const a = await connectedBot();
    const b = await connectedBot();
    const member = await addMember(a.owner, "member");
    const ivan = await telegramUser(a.client);
    await pressStart(a.client, a.bot, ivan.id, payloadOf((await createLink(member)).url, a.bot));

    expect(await memberForTelegramUser(a.owner.tenantId, ivan.id, database)).toEqual({
      userId: member.userId,
      email: member.email,
    });
    expect(await memberForTelegramUser(a.owner.tenantId, BigInt(ivan.id), database)).toMatchObject({
      userId: member.userId,
    });
    expect(await memberForTelegramUser(b.owner.tenantId, ivan.id, database)).toBeNull();
    expect(await memberForTelegramUser(a.owner.tenantId, a.chat.id, database)).toBeNull();

    // The same Telegram account linked in site B is B's member there, and A's stays A's.
    await pressStart(b.client, b.bot, ivan.id, payloadOf((await createLink(b.owner)).url, b.bot));
    expect(await memberForTelegramUser(b.owner.tenantId, ivan.id, database)).toEqual({
      userId: b.owner.userId,
      email: b.owner.email,
    });
    expect(await memberForTelegramUser(a.owner.tenantId, ivan.id, database)).toMatchObject({ userId: member.userId });

    const removed = await api("DELETE", `/api/v1/tenant/members/${member.userId}`, { token: a.owner.token });
    expect(removed.status).toBe(204);
    expect(await memberForTelegramUser(a.owner.tenantId, ivan.id, database)).toBeNull();
  });
});

describe("only_members_may_press", () => {
  it("is off by default, changed by a site_owner or admin, and shown in the tenant", async () => {
    const owner = await registerOwner();
    const admin = await addMember(owner, "admin");
    const member = await addMember(owner, "member");
    expect((await api("GET", "/api/v1/tenant", { token: member.token })).body).toMatchObject({
      only_members_may_press: false,
    });
    expect(await onlyMembersMayPress(owner.tenantId, database)).toBe(false);

    const refused = await api("PATCH", "/api/v1/tenant", {
      token: member.token,
      body: { only_members_may_press: true },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "forbidden" });

    const on = await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { only_members_may_press: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ only_members_may_press: true });
    expect((await api("GET", "/api/v1/tenant", { token: member.token })).body).toMatchObject({
      only_members_may_press: true,
    });
    expect(await onlyMembersMayPress(owner.tenantId, database)).toBe(true);

    const off = await api("PATCH", "/api/v1/tenant", { token: admin.token, body: { only_members_may_press: false } });
    expect(off.body).toMatchObject({ only_members_may_press: false });
    expect(await onlyMembersMayPress(owner.tenantId, database)).toBe(false);
  });

  it("accepts only a boolean", async () => {
    const owner = await registerOwner();
    for (const value of ["yes", 1, null]) {
      const response = await api("PATCH", "/api/v1/tenant", {
        token: owner.token,
        body: { only_members_may_press: value },
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: "validation_error" });
      expect((response.body as { detail: { loc: unknown }[] }).detail.map((issue) => issue.loc)).toContainEqual([
        "body",
        "only_members_may_press",
      ]);
    }
  });
});
