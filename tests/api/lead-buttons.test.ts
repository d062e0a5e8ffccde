import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { Api } from "grammy";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { encodeLeadButton } from "@/lib/telegram/lead-buttons/callback-data";
import { leadDetailSchema, type LeadDetail, type LeadState } from "@/lib/schemas/leads";
import type { SandboxClient, SentMessageRecord } from "../../sandbox/client";
import { api, registerOwner, sandbox, type Account } from "../support/api-client";
import { numberedText, query, sleep } from "../support/public-leads";
import { waitFor } from "../support/wait";

/**
 * The buttons under every notification, pressed in the sandbox as Telegram users, and the
 * edits of the messages that follow every change of state (from Telegram or the inbox),
 * sent through the outbox. Bots are heard by long polling unless the test registers the
 * webhook.
 */

type Button = { text: string; callback_data?: string; copy_text?: { text: string } };
type Site = { owner: Account; bot: { id: number; token: string }; chatId: number; client: SandboxClient; key: string };
type Presser = { id: number; first_name: string; last_name?: string; username?: string };

const WAIT = { timeoutMs: 15_000 };
const TIME = "\\d\\d:\\d\\d МСК";

function presser(firstName: string, lastName?: string): Presser {
  const id = 600_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const username = `${firstName.toLowerCase()}_${randomUUID().slice(0, 6)}`;
  return { id, first_name: firstName, ...(lastName ? { last_name: lastName } : {}), username };
}

/** A site whose bot notifies a group (several people press there), heard by webhook or by polling. */
async function siteWithGroup({ webhook = false } = {}): Promise<Site> {
  const owner = await registerOwner();
  const client = sandbox();
  const bot = await client.createBot({ username: `btn_${randomUUID().slice(0, 8)}_bot` });
  const group = await client.createGroup({ title: "Sales" });
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: bot.token, owner_chat_id: group.id },
  });
  expect(created.status).toBe(201);
  if (webhook) {
    const registered = await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} });
    expect(registered.status).toBe(200);
  } else {
    await waitFor("the app to poll the bot", async () =>
      (await client.getBot(bot.id)).long_polling ? true : undefined,
    );
  }
  const [row] = await query(`SELECT "webhookSecret" FROM "TelegramIntegration" WHERE "tenantId" = ?`, [owner.tenantId]);
  return { owner, bot, chatId: group.id, client, key: String(row?.webhookSecret) };
}

async function submit(site: Site, lead: Record<string, string>): Promise<string> {
  const response = await api("POST", `/api/v1/public/leads/${site.owner.siteKey}`, { body: lead });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body as { id: string }).id;
}

/** The notification's messages, once all `parts` arrived after the `before` already in the chat. */
async function notification(site: Site, before = 0, parts = 1): Promise<SentMessageRecord[]> {
  const messages = await site.client.waitForMessages(site.bot.id, {
    chatId: site.chatId,
    count: before + parts,
    ...WAIT,
  });
  return messages.slice(before, before + parts);
}

const keyboard = (message: SentMessageRecord) => (message.reply_markup?.inline_keyboard ?? []) as Button[][];
const texts = (message: SentMessageRecord) => keyboard(message).map((row) => row.map((button) => button.text));

function dataOf(message: SentMessageRecord, text: string): string {
  const data = keyboard(message)
    .flat()
    .find((button) => button.text === text)?.callback_data;
  if (!data)
    throw new Error(`no button ${text} under message ${message.message_id}: ${JSON.stringify(texts(message))}`);
  return data;
}

function press(site: Site, message: SentMessageRecord, data: string, from: Presser) {
  return site.client.pressButtonAndWaitForAnswer(
    site.bot.id,
    { chatId: site.chatId, messageId: message.message_id, data, from },
    WAIT,
  );
}

/** The message once it has been edited `count` times in all. */
const edited = (site: Site, message: SentMessageRecord, count = 1) =>
  site.client.waitForEdits(site.bot.id, site.chatId, message.message_id, { count, ...WAIT });

async function detail(site: Site, leadId: string): Promise<LeadDetail> {
  return leadDetailSchema.parse((await api("GET", `/api/v1/leads/${leadId}`, { token: site.owner.token })).body);
}

async function patch(site: Site, leadId: string, state: LeadState): Promise<void> {
  const response = await api("PATCH", `/api/v1/leads/${leadId}`, { token: site.owner.token, body: { state } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** A message the bot itself sends with one button: what a modified client could send as a press. */
async function messageWithButton(site: Site, data: string): Promise<SentMessageRecord> {
  const telegram = new Api(site.bot.token, { apiRoot: inject("sandboxUrl") });
  const sent = await telegram.sendMessage(site.chatId, "button", {
    reply_markup: { inline_keyboard: [[{ text: "press", callback_data: data }]] },
  });
  return site.client.message(site.bot.id, site.chatId, sent.message_id);
}

const leadMessages = (leadId: string) =>
  query(`SELECT * FROM "LeadMessage" WHERE "leadId" = ? ORDER BY "createdAt", "part"`, [leadId]);

let sqliteWriter: Database.Database | undefined;
let postgresWriter: pg.Client | undefined;
afterAll(async () => {
  sqliteWriter?.close();
  await postgresWriter?.end();
});

/** Writes to the server's database behind its back (to make a message that Telegram no longer has). */
async function execute(sql: string, params: unknown[]): Promise<void> {
  const url = inject("databaseUrl");
  if (url.startsWith("file:")) {
    sqliteWriter ??= new Database(url.slice("file:".length), { fileMustExist: true });
    sqliteWriter.pragma("busy_timeout = 5000");
    sqliteWriter.prepare(sql).run(...params);
    return;
  }
  if (!postgresWriter) {
    postgresWriter = new pg.Client({ connectionString: url });
    await postgresWriter.connect();
  }
  let index = 0;
  await postgresWriter.query(
    sql.replace(/\?/g, () => `$${(index += 1)}`),
    params,
  );
}

const SPEC_CONTACTS = { name: "Иван Петров", phone: "+7 999 123-45-67", email: "ivan@example.com" };

describe("the keyboard under a notification", () => {
  it("offers take, done and spam, and copy buttons for the phone and the email when the lead has them", async () => {
    const site = await siteWithGroup();
    await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    expect(keyboard(message!)).toEqual([
      [
        { text: "🙋 Беру", callback_data: expect.any(String) },
        { text: "✅ Готово", callback_data: expect.any(String) },
        { text: "🚫 Спам", callback_data: expect.any(String) },
      ],
      [
        { text: "📋 +7 999 123-45-67", copy_text: { text: "+7 999 123-45-67" } },
        { text: "📋 ivan@example.com", copy_text: { text: "ivan@example.com" } },
      ],
    ]);
    for (const button of keyboard(message!)[0] ?? [])
      expect(Buffer.byteLength(button.callback_data ?? "")).toBeLessThanOrEqual(64);

    await submit(site, { name: "Без контактов", message: "Перезвоните" });
    const [bare] = await notification(site, 1);
    expect(texts(bare!)).toEqual([["🙋 Беру", "✅ Готово", "🚫 Спам"]]);
  });

  it("sits on the last part of a split notification, and a change edits that part only", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, { name: "Long", phone: "+1 555 0100", message: numberedText(6_000) });
    const parts = await notification(site, 0, 2);
    const rows = await waitFor("both parts recorded", async () => {
      const found = await leadMessages(leadId);
      return found.length === parts.length ? found : undefined;
    });
    expect(parts[0]?.reply_markup).toBeUndefined();
    expect(texts(parts[1]!)[0]).toEqual(["🙋 Беру", "✅ Готово", "🚫 Спам"]);
    expect(rows.map((row) => [Number(row.part), Number(row.messageId), Boolean(row.carriesKeyboard)])).toEqual([
      [1, parts[0]?.message_id, false],
      [2, parts[1]?.message_id, true],
    ]);

    await patch(site, leadId, "done");
    const last = await edited(site, parts[1]!);
    expect(last.text.startsWith("📝 Заявка (продолжение 2/2)\n")).toBe(true);
    expect(last.text).toMatch(new RegExp(`\\n\\n✅ Готово: ${site.owner.email} · ${TIME}$`));
    expect(last.text.length).toBeLessThanOrEqual(4096);
    expect(texts(last)).toEqual([["↩️ Вернуть"]]);
    expect((await site.client.message(site.bot.id, site.chatId, parts[0]!.message_id)).edits).toEqual([]);
  });
});

describe("a press of a button (long polling)", () => {
  it("takes the lead as the Telegram user who pressed, answers a toast and edits the message for everyone", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    const ivan = presser("Ivan", "Petrov");

    const taken = await press(site, message!, dataOf(message!, "🙋 Беру"), ivan);
    expect(taken.answer.text).toBe("🙋 Заявка ваша");
    const afterTake = await edited(site, message!);
    expect(afterTake.text).toMatch(new RegExp(`\\n\\n🙋 В работе: Ivan Petrov \\(@${ivan.username}\\) · ${TIME}$`));
    expect(afterTake.text.startsWith("📝 Новая заявка с сайта\n")).toBe(true);
    expect(texts(afterTake)).toEqual([
      ["✅ Готово", "↩️ Вернуть"],
      ["📋 +7 999 123-45-67", "📋 ivan@example.com"],
    ]);
    const ivanActor = {
      name: "Ivan Petrov",
      telegram_user_id: ivan.id,
      telegram_username: ivan.username,
      user_id: null,
    };
    expect(await detail(site, leadId)).toMatchObject({
      state: "in_progress",
      taken_by: ivanActor,
      state_history: [{ state: "in_progress", by: ivanActor, source: "telegram" }],
    });

    const anna = presser("Anna");
    const closed = await press(site, afterTake, dataOf(afterTake, "✅ Готово"), anna);
    expect(closed.answer.text).toBe("✅ Заявка закрыта");
    const afterDone = await edited(site, message!, 2);
    expect(afterDone.text).toMatch(new RegExp(`\\n\\n✅ Готово: Anna \\(@${anna.username}\\) · ${TIME}$`));
    expect(texts(afterDone)).toEqual([["↩️ Вернуть"]]);
    expect(await detail(site, leadId)).toMatchObject({ state: "done", taken_by: ivanActor });

    const back = await press(site, afterDone, dataOf(afterDone, "↩️ Вернуть"), anna);
    expect(back.answer.text).toBe("↩️ Заявка снова новая");
    const afterBack = await edited(site, message!, 3);
    // Back to new: the notification as it was sent, with its first keyboard.
    expect(afterBack.text).toBe(message!.text);
    expect(keyboard(afterBack)).toEqual(keyboard(message!));
    expect(await detail(site, leadId)).toMatchObject({ state: "new", taken_by: null });
  });
});

describe("a press of a button (webhook)", () => {
  it("of two simultaneous «Беру» takes the lead for the first; the second is told who has it", async () => {
    const site = await siteWithGroup({ webhook: true });
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    const take = dataOf(message!, "🙋 Беру");
    const [ivan, maria] = [presser("Ivan", "Petrov"), presser("Maria")];
    const answers = await Promise.all([press(site, message!, take, ivan), press(site, message!, take, maria)]);

    const lead = await detail(site, leadId);
    expect(lead.state).toBe("in_progress");
    expect(lead.state_history).toHaveLength(1);
    const winner = lead.taken_by?.telegram_user_id === ivan.id ? 0 : 1;
    const [winnerName, winnerUsername] = winner === 0 ? ["Ivan Petrov", ivan.username] : ["Maria", maria.username];
    expect(lead.taken_by).toMatchObject({ name: winnerName, telegram_username: winnerUsername });
    expect(answers[winner]?.answer.text).toBe("🙋 Заявка ваша");
    expect(answers[1 - winner]?.answer.text).toBe(`Заявка уже в работе: ${winnerName} (@${winnerUsername})`);
    const shown = await edited(site, message!);
    expect(shown.text).toContain(`🙋 В работе: ${winnerName} (@${winnerUsername})`);
  });

  it("on a lead whose state changed meanwhile shows where it is now, changes nothing, and redraws the message", async () => {
    const site = await siteWithGroup({ webhook: true });
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    const staleTake = dataOf(message!, "🙋 Беру");
    const staleSpam = dataOf(message!, "🚫 Спам");
    await patch(site, leadId, "done");
    await edited(site, message!);

    // The buttons of the first keyboard, as a client that still showed it would send them.
    const ivan = presser("Ivan");
    for (const data of [staleTake, staleSpam]) {
      const { answer } = await press(site, await messageWithButton(site, data), data, ivan);
      expect(answer.text).toMatch(new RegExp(`^Статус заявки уже изменён — ✅ Готово: ${site.owner.email} · ${TIME}$`));
    }
    const lead = await detail(site, leadId);
    expect(lead).toMatchObject({ state: "done", taken_by: null });
    expect(lead.state_history).toHaveLength(1);
    // The redraw found the message as it should be: Telegram's "not modified" ends it.
    await waitFor("the redraw to settle", async () => {
      const [row] = (await leadMessages(leadId)).filter((found) => Boolean(found.carriesKeyboard));
      return row?.editStatus === "idle" && row.shownVersion !== null ? row : undefined;
    });
    expect((await site.client.message(site.bot.id, site.chatId, message!.message_id)).edits).toHaveLength(1);
  });

  it("refuses data naming another site's lead, data of another bot and garbage: «Заявка не найдена», nothing changes", async () => {
    const site = await siteWithGroup({ webhook: true });
    const other = await siteWithGroup();
    const foreignLead = await submit(other, SPEC_CONTACTS);
    const ownLead = await submit(site, SPEC_CONTACTS);
    await notification(site);
    const ivan = presser("Ivan");

    const forged = [
      // Signed with this very bot's key, for a lead of another site.
      encodeLeadButton(site.key, { to: "in_progress", from: "new", leadId: foreignLead }),
      // Signed with another bot's key, for this site's own lead.
      encodeLeadButton(other.key, { to: "spam", from: "new", leadId: ownLead }),
      encodeLeadButton(site.key, { to: "done", from: "new", leadId: randomUUID() }),
      `wn:${ownLead}:AAAAAAAAAAAA`,
      "garbage",
    ];
    for (const data of forged) {
      const { answer } = await press(site, await messageWithButton(site, data), data, ivan);
      expect(answer.text, data).toBe("Заявка не найдена");
    }
    expect(await detail(other, foreignLead)).toMatchObject({ state: "new", state_history: [] });
    expect(await detail(site, ownLead)).toMatchObject({ state: "new", state_history: [] });
  });
});

describe("a site that lets only its members press", () => {
  it("refuses a press from a Telegram user no member linked, and takes the lead for a member's linked account", async () => {
    const site = await siteWithGroup();
    const setting = await api("PATCH", "/api/v1/tenant", {
      token: site.owner.token,
      body: { only_members_may_press: true },
    });
    expect(setting.status, JSON.stringify(setting.body)).toBe(200);
    const olga = await site.client.createPrivateChat({
      first_name: "Olga",
      username: `olga_${randomUUID().slice(0, 6)}`,
    });
    const link = await api("POST", "/api/v1/auth/telegram-link", { token: site.owner.token, body: {} });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const payload = new URL((link.body as { url: string }).url).searchParams.get("start") ?? "";
    await site.client.sendStart(site.bot.id, olga.id, payload);
    await waitFor("the owner's Telegram account to be linked", async () => {
      const status = await api("GET", "/api/v1/auth/telegram-link", { token: site.owner.token });
      return (status.body as { account: unknown }).account ? true : undefined;
    });
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);

    const stranger = presser("Stranger");
    const refused = await press(site, message!, dataOf(message!, "🙋 Беру"), stranger);
    expect(refused.answer.text).toBe(
      "Кнопки могут нажимать только участники сайта, связавшие Telegram в профиле Leadgram",
    );
    expect(await detail(site, leadId)).toMatchObject({ state: "new", taken_by: null, state_history: [] });

    const member = { id: olga.id, first_name: "Olga", username: olga.username ?? undefined };
    const taken = await press(site, message!, dataOf(message!, "🙋 Беру"), member);
    expect(taken.answer.text).toBe("🙋 Заявка ваша");
    expect(await detail(site, leadId)).toMatchObject({
      state: "in_progress",
      taken_by: { telegram_user_id: olga.id, user_id: site.owner.userId },
    });
    // The refused press asked for no edit; the take asked for one.
    expect((await edited(site, message!)).edits).toHaveLength(1);
  });
});

describe("edits of the messages", () => {
  it("follow a change made in the inbox", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    await patch(site, leadId, "in_progress");
    const shown = await edited(site, message!);
    expect(shown.text).toMatch(new RegExp(`\\n\\n🙋 В работе: ${site.owner.email} · ${TIME}$`));
    expect(texts(shown)[0]).toEqual(["✅ Готово", "↩️ Вернуть"]);
    await patch(site, leadId, "spam");
    const spam = await edited(site, message!, 2);
    expect(spam.text).toMatch(new RegExp(`\\n\\n🚫 Спам: ${site.owner.email} · ${TIME}$`));
    expect(texts(spam)).toEqual([["↩️ Вернуть"]]);
  });

  it("collapse quick changes into the latest state", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    // Telegram holds the first edit back for two seconds; the changes meanwhile make one more edit at most.
    await site.client.injectFault({
      kind: "too_many_requests",
      retry_after: 2,
      method: "editMessageText",
      bot_id: site.bot.id,
      times: 1,
    });
    for (const state of ["in_progress", "done", "new", "spam", "in_progress", "done"] as const)
      await patch(site, leadId, state);
    await edited(site, message!);
    await sleep(1_500);
    const settled = await site.client.message(site.bot.id, site.chatId, message!.message_id);
    expect(settled.edits.length).toBeLessThanOrEqual(2);
    expect(settled.text).toMatch(new RegExp(`\\n\\n✅ Готово: ${site.owner.email} · ${TIME}$`));
  });

  it("are retried after Telegram's 429 and 5xx, and never hold back the next lead's notification", async () => {
    const site = await siteWithGroup();
    const first = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    await site.client.injectFault({
      kind: "too_many_requests",
      retry_after: 3,
      method: "editMessageText",
      bot_id: site.bot.id,
      times: 1,
    });
    await site.client.injectFault({ kind: "internal_error", method: "editMessageText", bot_id: site.bot.id, times: 1 });
    const changedAt = Date.now();
    await patch(site, first, "in_progress");
    await sleep(300);
    await submit(site, { name: "Следующая", phone: "+7 900 000-00-00" });
    const [next] = await notification(site, 1);
    const shown = await edited(site, message!);
    expect(next!.sent_at).toBeLessThan(shown.edits[0]!.edited_at);
    // Telegram's retry_after is honoured.
    expect(shown.edits[0]!.edited_at - changedAt).toBeGreaterThanOrEqual(2_900);
    expect(shown.text).toContain(`🙋 В работе: ${site.owner.email}`);
    // Telegram shows the edit a moment before the outbox records its success.
    const row = await waitFor("the edit recorded as done", async () => {
      const [found] = (await leadMessages(first)).filter((message) => Boolean(message.carriesKeyboard));
      return found?.editStatus === "idle" ? found : undefined;
    });
    expect(row).toMatchObject({ editStatus: "idle", editError: null });
  });

  it("give up 24 hours after the change that asked for them, and are asked again by the next change", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    await site.client.injectFault({ kind: "internal_error", method: "editMessageText", bot_id: site.bot.id, times: 2 });
    await patch(site, leadId, "in_progress");
    const [row] = await waitFor("the first failed edit", async () => {
      const found = await leadMessages(leadId);
      return found[0]?.editStatus === "retrying" ? found : undefined;
    });
    // As if Telegram had answered 5xx since the change, a day and an hour ago.
    await execute(`UPDATE "LeadMessage" SET "editQueuedAt" = ? WHERE "id" = ?`, [
      inject("database") === "sqlite" ? "2000-01-01T00:00:00.000+00:00" : "2000-01-01 00:00:00",
      row?.id,
    ]);
    const failed = await waitFor("the edit to give up", async () => {
      const [found] = await leadMessages(leadId);
      return found?.editStatus === "failed" ? found : undefined;
    });
    expect(failed).toMatchObject({ editAttempts: 2, editReasonCode: "gave_up" });
    expect(String(failed.editError)).toMatch(/^Gave up after 24 hours: /);
    await patch(site, leadId, "done");
    expect((await edited(site, message!)).text).toContain(`✅ Готово: ${site.owner.email}`);
  });

  it("stop for good at a message Telegram no longer has, without holding back the rest", async () => {
    const site = await siteWithGroup();
    const leadId = await submit(site, SPEC_CONTACTS);
    const [message] = await notification(site);
    const [row] = await waitFor("the message recorded", async () => {
      const found = await leadMessages(leadId);
      return found.length === 1 ? found : undefined;
    });
    // As if the message had been deleted in the chat.
    await execute(`UPDATE "LeadMessage" SET "messageId" = ? WHERE "id" = ?`, [999_999, row?.id]);
    await patch(site, leadId, "done");
    const gone = await waitFor("the edit to give up", async () => {
      const [found] = await leadMessages(leadId);
      return found?.editStatus === "gone" ? found : undefined;
    });
    expect(gone).toMatchObject({ editAttempts: 1, editError: "Bad Request: message to edit not found" });
    // Another change does not try it again.
    await patch(site, leadId, "new");
    await sleep(1_500);
    expect(await leadMessages(leadId)).toMatchObject([{ editStatus: "gone", editAttempts: 1 }]);
    expect((await site.client.message(site.bot.id, site.chatId, message!.message_id)).edits).toEqual([]);
    // The next lead still gets its notification and its edits.
    const nextId = await submit(site, { name: "Следующая" });
    const [next] = await notification(site, 1);
    await patch(site, nextId, "spam");
    expect((await edited(site, next!)).text).toContain("🚫 Спам:");
  });
});
