import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { SPEC_EXAMPLE_LEAD, SPEC_EXAMPLE_NOTIFICATION } from "@/lib/leads/__fixtures__/spec-example";
import { TRUNCATION_MARKER } from "@/lib/leads/format-notification";
import { api, newBotWithChat, registerOwner, uniqueClientIp, type Account } from "../support/api-client";

// ---------------------------------------------------------------------------------------
// The database the server writes to, read directly: storage is what these tests check.

type Row = Record<string, unknown>;

let sqlite: Database.Database | undefined;
let postgres: Promise<pg.Client> | undefined;

/** Runs `sql` (with `?` placeholders) against the server's SQLite file or PostgreSQL. */
async function query(sql: string, params: unknown[] = []): Promise<Row[]> {
  const url = inject("databaseUrl");
  if (url.startsWith("file:")) {
    sqlite ??= new Database(url.slice("file:".length), { readonly: true, fileMustExist: true });
    return sqlite.prepare(sql).all(...params) as Row[];
  }
  postgres ??= (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  })();
  let index = 0;
  const result = await (await postgres).query(sql.replace(/\?/g, () => `$${(index += 1)}`), params);
  return result.rows as Row[];
}

afterAll(async () => {
  sqlite?.close();
  if (postgres) await (await postgres).end();
});

async function leadRow(id: string): Promise<Row | undefined> {
  return (await query(`SELECT * FROM "Lead" WHERE "id" = ?`, [id]))[0];
}

async function leadsOf(tenantId: string): Promise<Row[]> {
  return query(`SELECT * FROM "Lead" WHERE "tenantId" = ? ORDER BY "createdAt"`, [tenantId]);
}

async function leadCount(tenantId: string): Promise<number> {
  const [row] = await query(`SELECT COUNT(*) AS n FROM "Lead" WHERE "tenantId" = ?`, [tenantId]);
  return Number(row?.n);
}

async function deliveryOf(leadId: string): Promise<Row | undefined> {
  return (await query(`SELECT * FROM "Delivery" WHERE "leadId" = ?`, [leadId]))[0];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lead's delivery once it has left pending/sending (or as it is after `timeoutMs`). */
async function settledDelivery(leadId: string, timeoutMs = 5_000): Promise<Row | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const delivery = await deliveryOf(leadId);
    if (delivery && delivery.status !== "pending" && delivery.status !== "sending") return delivery;
    if (Date.now() > deadline) return delivery;
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------
// Submitting leads.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const received = { id: expect.stringMatching(UUID), status: "received" };

const leadsPath = (siteKey: string) => `/api/v1/public/leads/${siteKey}`;

/** POSTs a JSON lead through the shared client (a fresh client address unless given). */
function submitJson(siteKey: string, body: unknown, headers: Record<string, string> = {}) {
  return api("POST", leadsPath(siteKey), { body, headers });
}

/** A raw request to the lead endpoint, for bodies other than JSON. */
function send(siteKey: string, init: { method?: string; body?: BodyInit | ReadableStream<Uint8Array> | null; headers?: Record<string, string> }) {
  const request = {
    method: init.method ?? "POST",
    headers: { "x-forwarded-for": uniqueClientIp(), ...init.headers },
    body: init.body ?? null,
    redirect: "manual",
    ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
  };
  return fetch(`${inject("appUrl")}${leadsPath(siteKey)}`, request as RequestInit);
}

async function readJson(response: Response): Promise<any> {
  const text = await response.text();
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

/** An owner with a sandbox bot connected; the owner's chat is the notification chat unless `ownerChat` is false. */
async function ownerWithBot({ ownerChat = true }: { ownerChat?: boolean } = {}) {
  const owner = await registerOwner();
  const setup = await newBotWithChat();
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: setup.bot.token, ...(ownerChat ? { owner_chat_id: setup.chat.id } : {}) },
  });
  expect(created.status).toBe(201);
  return { owner, ...setup };
}

async function setAllowedOrigins(owner: Account, origins: string[]): Promise<void> {
  const response = await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { allowed_origins: origins } });
  expect(response.status).toBe(200);
  expect(response.body.allowed_origins).toEqual(origins);
}

/** `length` characters of numbered words (`<letter>00000 <letter>00001 …`), a line break every 20 words. */
function numberedText(length: number, letter = "w"): string {
  let text = "";
  for (let word = 0; text.length < length; word += 1) {
    if (word > 0) text += word % 20 === 0 ? "\n" : " ";
    text += `${letter}${String(word).padStart(5, "0")}`;
  }
  return text.slice(0, length);
}

const wordsOf = (text: string, letter = "w") => [...text.matchAll(new RegExp(`\\b${letter}\\d{5}\\b`, "g"))].map((match) => match[0]);

const SPEC_LEAD = SPEC_EXAMPLE_LEAD;
const SPEC_NOTIFICATION = SPEC_EXAMPLE_NOTIFICATION;

/** What browsers send with a form's navigation. */
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

const UA = {
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  chrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
};

// ---------------------------------------------------------------------------------------

describe("POST /api/v1/public/leads/<site_key>: accepted bodies", () => {
  it("stores a JSON lead with its known fields, extra fields and source", async () => {
    const owner = await registerOwner();
    const ip = uniqueClientIp();
    const response = await submitJson(
      owner.siteKey,
      {
        name: "  Иван Петров  ",
        email: "ivan@example.com",
        phone: "+7 999 123-45-67",
        company: 'ООО "Рога и копыта"',
        message: "Здравствуйте!\nХотел бы обсудить детали проекта.",
        utm_source: "google",
        utm_medium: "cpc",
        utm_campaign: "autumn",
        utm_term: "сайт под ключ",
        utm_content: "banner-1",
        page: "/services/web",
        device: "desktop",
        referrer: "https://www.google.com/",
        budget: 100000,
        "Как узнали": "Реклама",
        agree: true,
      },
      { "x-forwarded-for": ip, "user-agent": UA.chrome },
    );
    expect(response.status).toBe(201);
    expect(response.body).toEqual(received);

    const row = await leadRow(response.body.id);
    expect(row).toMatchObject({
      tenantId: owner.tenantId,
      name: "Иван Петров",
      email: "ivan@example.com",
      phone: "+7 999 123-45-67",
      company: 'ООО "Рога и копыта"',
      message: "Здравствуйте!\nХотел бы обсудить детали проекта.",
      utmSource: "google",
      utmMedium: "cpc",
      utmCampaign: "autumn",
      utmTerm: "сайт под ключ",
      utmContent: "banner-1",
      page: "/services/web",
      device: "desktop",
      referrer: "https://www.google.com/",
      clientIp: ip,
      userAgent: UA.chrome,
    });
    expect(row?.createdAt).toBeTruthy();
    expect(JSON.parse(String(row?.extra))).toEqual({ budget: "100000", "Как узнали": "Реклама", agree: "true" });
    expect(Object.keys(JSON.parse(String(row?.extra)))).toEqual(["budget", "Как узнали", "agree"]);
    expect(await deliveryOf(response.body.id)).toMatchObject({ leadId: response.body.id });

    const withCharset = await send(owner.siteKey, { body: JSON.stringify({ email: "second@example.com" }), headers: { "content-type": "application/json; charset=UTF-8" } });
    expect(withCharset.status).toBe(201);
    const second = await readJson(withCharset);
    expect(second).toEqual(received);
    expect(await leadRow(second.id)).toMatchObject({ tenantId: owner.tenantId, email: "second@example.com", name: null, extra: "{}" });
  });

  it("stores an application/x-www-form-urlencoded lead", async () => {
    const owner = await registerOwner();
    const body = new URLSearchParams([
      ["name", "Пётр"],
      ["phone", "+7 912 000-00-00"],
      ["message", "Перезвоните, пожалуйста & спасибо"],
      ["utm_source", "yandex"],
      ["page", "/pricing"],
      ["product", "Тариф «Бизнес»"],
    ]);
    const response = await send(owner.siteKey, { body });
    expect(response.status).toBe(201);
    const answer = await readJson(response);
    expect(answer).toEqual(received);
    expect(await leadRow(answer.id)).toMatchObject({
      tenantId: owner.tenantId,
      name: "Пётр",
      phone: "+7 912 000-00-00",
      message: "Перезвоните, пожалуйста & спасибо",
      utmSource: "yandex",
      page: "/pricing",
      email: null,
      company: null,
    });
    expect(JSON.parse(String((await leadRow(answer.id))?.extra))).toEqual({ product: "Тариф «Бизнес»" });
  });

  it("stores a multipart/form-data lead", async () => {
    const owner = await registerOwner();
    const form = new FormData();
    form.append("name", "Анна");
    form.append("email", "anna@example.com");
    form.append("company", "ИП Смирнова");
    form.append("message", "Нужен лендинг");
    form.append("utm_campaign", "spring");
    form.append("referrer", "https://t.me/");
    form.append("Бюджет", "100 000 ₽");
    const response = await send(owner.siteKey, { body: form });
    expect(response.status).toBe(201);
    const answer = await readJson(response);
    expect(answer).toEqual(received);
    const row = await leadRow(answer.id);
    expect(row).toMatchObject({
      tenantId: owner.tenantId,
      name: "Анна",
      email: "anna@example.com",
      company: "ИП Смирнова",
      message: "Нужен лендинг",
      utmCampaign: "spring",
      referrer: "https://t.me/",
    });
    expect(JSON.parse(String(row?.extra))).toEqual({ Бюджет: "100 000 ₽" });
  });
});

describe("lead notifications through the Telegram sandbox", () => {
  it("sends the spec's example lead in the spec's format, as HTML, and marks the delivery sent", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const response = await submitJson(owner.siteKey, SPEC_LEAD);
    expect(response.status).toBe(201);

    const [message, ...more] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(more).toEqual([]);
    expect(message?.text).toBe(SPEC_NOTIFICATION);
    expect(message?.parse_mode).toBe("HTML");
    expect(message?.raw_text).toContain("👤 Имя: Иван Петров");

    const delivery = await settledDelivery(response.body.id);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, lastError: null, partsSent: 1 });
    expect(delivery?.sentAt).toBeTruthy();
  });

  it("shows markup, entities, Markdown characters and emoji exactly as typed", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const lead = {
      name: "<b>Eve</b> & Co",
      company: "Tom &amp; Jerry <Ltd>",
      message: "<script>alert(1)</script>\n&amp; &lt; &#65; &foo;\n*bold* _it_ [link](http://x) `code` ~strike~\n🚀👍🏽 👨‍👩‍👧",
      device: "desktop",
      "<i>field</i>": "a < b > c",
    };
    const response = await submitJson(owner.siteKey, lead);
    expect(response.status).toBe(201);

    const [message] = await client.waitForMessages(bot.id, { chatId: chat.id });
    expect(message?.text).toBe(
      [
        "📝 Новая заявка с сайта",
        "━━━━━━━━━━━━━━━━━━━━━━",
        "👤 Имя: <b>Eve</b> & Co",
        "🏢 Компания: Tom &amp; Jerry <Ltd>",
        "",
        "💬 Сообщение:",
        "<script>alert(1)</script>",
        "&amp; &lt; &#65; &foo;",
        "*bold* _it_ [link](http://x) `code` ~strike~",
        "🚀👍🏽 👨‍👩‍👧",
        "",
        "📎 Дополнительно:",
        "• <i>field</i>: a < b > c",
        "",
        "━━━━━━━━━━━━━━━━━━━━━━",
        "🔗 устройство: desktop",
      ].join("\n"),
    );
    expect(message?.entities).toEqual([]);
    expect((await settledDelivery(response.body.id))?.status).toBe("sent");
  });

  it("splits a 9,000-character lead into consecutive messages of at most 4,096 characters, in order", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const text = numberedText(9_000);
    const response = await submitJson(owner.siteKey, { name: "Long", message: text });
    expect(response.status).toBe(201);

    const delivery = await settledDelivery(response.body.id, 10_000);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1 });
    const messages = await client.messages(bot.id, { chatId: chat.id });
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.length).toBeLessThanOrEqual(3);
    expect(delivery?.partsSent).toBe(messages.length);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(messages[0]?.text.startsWith("📝 Новая заявка с сайта\n")).toBe(true);
    messages.slice(1).forEach((message, index) => expect(message.text.startsWith(`📝 Заявка (продолжение ${index + 2}/${messages.length})\n`)).toBe(true));
    for (const [index, message] of messages.entries()) if (index > 0) expect(message.message_id).toBeGreaterThan(messages[index - 1]?.message_id ?? 0);
    expect(messages.some((message) => message.text.includes(TRUNCATION_MARKER))).toBe(false);
    // Every word arrives once, in order.
    expect(wordsOf(messages.map((message) => message.text).join("\n"))).toEqual(wordsOf(text));
    expect((await leadRow(response.body.id))?.message).toBe(text);
  });

  it("cuts a 30,000-character lead to three messages ending with the truncation marker, and stores all of it", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    // A single field may hold 20,000 characters: the other 10,000 go into an extra field.
    const text = numberedText(20_000);
    const details = numberedText(10_000, "x");
    const response = await submitJson(owner.siteKey, { name: "Very long", message: text, details });
    expect(response.status).toBe(201);

    const delivery = await settledDelivery(response.body.id, 10_000);
    expect(delivery).toMatchObject({ status: "sent", attempts: 1, partsSent: 3 });
    const messages = await client.messages(bot.id, { chatId: chat.id });
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4096);
    expect(messages[0]?.text.startsWith("📝 Новая заявка с сайта\n")).toBe(true);
    expect(messages[1]?.text.startsWith("📝 Заявка (продолжение 2/3)\n")).toBe(true);
    expect(messages[2]?.text.startsWith("📝 Заявка (продолжение 3/3)\n")).toBe(true);
    expect(messages[2]?.text.endsWith(`\n\n${TRUNCATION_MARKER}`)).toBe(true);
    expect(messages.slice(0, 2).some((message) => message.text.includes(TRUNCATION_MARKER))).toBe(false);
    // What arrives is the beginning of the message, in order, with nothing repeated or skipped.
    const arrived = wordsOf(messages.map((message) => message.text).join("\n"));
    expect(arrived.length).toBeGreaterThan(1_000);
    expect(arrived).toEqual(wordsOf(text).slice(0, arrived.length));

    const row = await leadRow(response.body.id);
    expect(row?.message).toBe(text);
    expect(JSON.parse(String(row?.extra))).toEqual({ details });
  });
});

describe("delivery outcomes without a usable chat", () => {
  it("is skipped when the site has no Telegram integration", async () => {
    const owner = await registerOwner();
    const response = await submitJson(owner.siteKey, { name: "Nobody listens" });
    expect(response.status).toBe(201);
    const delivery = await settledDelivery(response.body.id);
    expect(delivery?.status).toBe("skipped");
    expect(delivery?.sentAt).toBeNull();
  });

  it("is skipped when the integration is switched off", async () => {
    const { owner, bot, client } = await ownerWithBot();
    const off = await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { is_active: false } });
    expect(off.status).toBe(200);
    expect(off.body.is_active).toBe(false);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, n) => submitJson(owner.siteKey, { name: `Switched off ${n}` })));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    // Every queued lead is skipped, not only the first: a skipped lead does not hold the queue.
    for (const response of responses) expect((await settledDelivery(response.body.id))?.status).toBe("skipped");
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("is skipped when the integration has no owner chat", async () => {
    const { owner, bot, client } = await ownerWithBot({ ownerChat: false });
    const response = await submitJson(owner.siteKey, { name: "No chat" });
    expect(response.status).toBe(201);
    expect((await settledDelivery(response.body.id))?.status).toBe("skipped");
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("fails with Telegram's reason, and is not retried, when the chat blocked the bot", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    await client.blockBot(chat.id, bot.id);
    const response = await submitJson(owner.siteKey, { name: "Blocked" });
    expect(response.status).toBe(201);
    const delivery = await settledDelivery(response.body.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastError: "Forbidden: bot was blocked by the user", partsSent: 0 });
    expect(delivery?.sentAt).toBeNull();

    await sleep(3_000);
    expect(await deliveryOf(response.body.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await client.messages(bot.id)).toEqual([]);
  });

  it("retries after Telegram's 5xx, then sends once and keeps both attempts in the history", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    await client.injectFault({ kind: "internal_error", times: 1, method: "sendMessage", bot_id: bot.id });
    const response = await submitJson(owner.siteKey, { name: "Second time lucky" });
    expect(response.status).toBe(201);

    const retrying = await settledDelivery(response.body.id);
    expect(retrying).toMatchObject({ status: "retrying", attempts: 1, partsSent: 0 });
    const deadline = Date.now() + 10_000;
    while ((await deliveryOf(response.body.id))?.status !== "sent" && Date.now() < deadline) await sleep(100);

    const sent = await deliveryOf(response.body.id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, lastError: null, partsSent: 1, leaseUntil: null });
    expect(String(sent?.chatId)).toBe(String(chat.id));
    expect(sent?.sentAt).not.toBeNull();
    const history = await query(`SELECT "outcome", "errorCode" FROM "DeliveryAttempt" WHERE "deliveryId" = ? ORDER BY "attemptedAt"`, [sent?.id]);
    expect(history).toEqual([
      { outcome: "retrying", errorCode: 500 },
      { outcome: "sent", errorCode: null },
    ]);
    expect((await client.messages(bot.id)).map((message) => message.text)).toEqual([expect.stringContaining("Second time lucky")]);
  });
});

describe("refused submissions", () => {
  it("answers 404 for an unknown site key", async () => {
    const response = await submitJson("no-such-site-key", { name: "Lost" });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ detail: "Unknown site", code: "not_found" });
  });

  it("answers 422 for an invalid email", async () => {
    const owner = await registerOwner();
    const response = await submitJson(owner.siteKey, { name: "Ivan", email: "not-an-email" });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ detail: [{ loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" }], code: "validation_error" });
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 422 when none of name, email, phone or message is given", async () => {
    const owner = await registerOwner();
    for (const body of [{ company: "ООО Ромашка" }, { company: "ООО Ромашка", name: "   ", utm_source: "google", extra: "x" }, {}]) {
      const response = await submitJson(owner.siteKey, body);
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ loc: ["body"], msg: "Provide at least one of name, email, phone or message", type: "value_error" }], code: "validation_error" });
    }
    const form = await send(owner.siteKey, { body: new URLSearchParams({ company: "ООО Ромашка" }) });
    expect(form.status).toBe(422);
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 422 for broken JSON and for a JSON body that is not an object", async () => {
    const owner = await registerOwner();
    const headers = { "content-type": "application/json" };
    for (const rawBody of ['{"name": "Ivan"', "", "not json"]) {
      const response = await api("POST", leadsPath(owner.siteKey), { rawBody, headers });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }], code: "validation_error" });
    }
    for (const rawBody of ['[{"name": "Ivan"}]', '"Ivan"', "null", "42"]) {
      const response = await api("POST", leadsPath(owner.siteKey), { rawBody, headers });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ detail: [{ loc: ["body"], msg: "Input should be a JSON object", type: "dict_type" }], code: "validation_error" });
    }
    const nested = await submitJson(owner.siteKey, { name: "Ivan", address: { city: "Moscow" } });
    expect(nested.status).toBe(422);
    expect(nested.body.detail).toEqual([expect.objectContaining({ loc: ["body", "address"] })]);
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 415 for an unsupported content type", async () => {
    const owner = await registerOwner();
    // A string body without a type is labelled text/plain;charset=UTF-8 by fetch.
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "application/xml" }, {}] as Record<string, string>[]) {
      const response = await send(owner.siteKey, { body: "name=Ivan", headers });
      expect(response.status).toBe(415);
      expect(await readJson(response)).toEqual({ detail: "Send application/json, application/x-www-form-urlencoded or multipart/form-data", code: "unsupported_media_type" });
    }
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 413 for a body over 64 KiB, declared or streamed", async () => {
    const owner = await registerOwner();
    const big = JSON.stringify({ name: "Ivan", a: "x".repeat(19_000), b: "x".repeat(19_000), c: "x".repeat(19_000), d: "x".repeat(9_000) });
    expect(big.length).toBeGreaterThan(64 * 1024);
    const declared = await send(owner.siteKey, { body: big, headers: { "content-type": "application/json" } });
    expect(declared.status).toBe(413);
    expect(await readJson(declared)).toEqual({ detail: "Request body is larger than 64 KiB", code: "payload_too_large" });
    // The unread rest of the body must not be taken for the client's next request on the socket.
    expect(declared.headers.get("connection")).toBe("close");

    const form = await send(owner.siteKey, { body: new URLSearchParams({ name: "Ivan", a: "y".repeat(70_000) }) });
    expect(form.status).toBe(413);

    const chunk = new TextEncoder().encode(`${"z".repeat(8_191)},`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"Ivan","x":"'));
        if (sent >= 10) {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += 1;
      },
    });
    const streamed = await send(owner.siteKey, { body: stream, headers: { "content-type": "application/json" } });
    expect(streamed.status).toBe(413);
    expect(await readJson(streamed)).toEqual({ detail: "Request body is larger than 64 KiB", code: "payload_too_large" });
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("accepts 50 fields and answers 422 for more", async () => {
    const owner = await registerOwner();
    const fields = (count: number) => Object.fromEntries([["name", "Ivan"], ...Array.from({ length: count - 1 }, (_, index) => [`f${index + 1}`, "v"])]);
    const tooMany = await submitJson(owner.siteKey, fields(51));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toEqual({ detail: [{ loc: ["body"], msg: "A submission may have at most 50 fields", type: "too_many_fields" }], code: "validation_error" });
    const tooManyForm = await send(owner.siteKey, { body: new URLSearchParams(fields(51)) });
    expect(tooManyForm.status).toBe(422);
    expect(await leadCount(owner.tenantId)).toBe(0);

    const fifty = await submitJson(owner.siteKey, fields(50));
    expect(fifty.status).toBe(201);
    expect(Object.keys(JSON.parse(String((await leadRow(fifty.body.id))?.extra)))).toHaveLength(49);
  });

  it("accepts a 20,000-character value and answers 422 for a longer one", async () => {
    const owner = await registerOwner();
    const tooLong = await submitJson(owner.siteKey, { name: "Ivan", notes: "n".repeat(20_001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toEqual({ detail: [{ loc: ["body", "notes"], msg: "String should have at most 20000 characters", type: "string_too_long" }], code: "validation_error" });
    const tooLongMessage = await send(owner.siteKey, { body: new URLSearchParams({ name: "Ivan", message: "m".repeat(20_001) }) });
    expect(tooLongMessage.status).toBe(422);
    expect(await leadCount(owner.tenantId)).toBe(0);

    const atLimit = await submitJson(owner.siteKey, { name: "Ivan", notes: "n".repeat(20_000) });
    expect(atLimit.status).toBe(201);
    expect(JSON.parse(String((await leadRow(atLimit.body.id))?.extra))).toEqual({ notes: "n".repeat(20_000) });
  });
});

describe("honeypot", () => {
  it("answers a filled _gotcha like a success but stores and sends nothing; an empty one is a normal lead", async () => {
    const { owner, bot, chat, client } = await ownerWithBot();
    const trapped = await send(owner.siteKey, { body: new URLSearchParams({ name: "Spam bot", email: "spam@example.com", _gotcha: "http://spam.example" }) });
    expect(trapped.status).toBe(201);
    const trappedAnswer = await readJson(trapped);
    expect(trappedAnswer).toEqual(received);
    expect(await leadRow(trappedAnswer.id)).toBeUndefined();
    expect(await leadCount(owner.tenantId)).toBe(0);
    const trappedJson = await submitJson(owner.siteKey, { name: "Spam bot", _gotcha: "x" });
    expect(trappedJson.status).toBe(201);
    expect(trappedJson.body).toEqual(received);
    expect(await leadCount(owner.tenantId)).toBe(0);

    // Leads of one site are delivered in order: once the real one has arrived, nothing else is coming.
    const real = await send(owner.siteKey, { body: new URLSearchParams({ name: "Real person", _gotcha: "" }) });
    expect(real.status).toBe(201);
    const realAnswer = await readJson(real);
    const row = await leadRow(realAnswer.id);
    expect(row).toMatchObject({ tenantId: owner.tenantId, name: "Real person" });
    expect(JSON.parse(String(row?.extra))).toEqual({});
    await client.waitForMessages(bot.id, { chatId: chat.id });
    expect((await settledDelivery(realAnswer.id))?.status).toBe("sent");
    const messages = await client.messages(bot.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain("👤 Имя: Real person");
    expect(await leadCount(owner.tenantId)).toBe(1);
  });
});

describe("_redirect", () => {
  it("answers 303 to an allowed origin's page and stores the lead without the control fields", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://shop.example"]);
    const response = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Form user", email: "form@example.com", _gotcha: "", _redirect: "https://shop.example/thanks", size: "L" }),
      headers: { origin: "https://shop.example" },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("https://shop.example/thanks");
    const [row, ...others] = await leadsOf(owner.tenantId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ name: "Form user", email: "form@example.com" });
    expect(JSON.parse(String(row?.extra))).toEqual({ size: "L" });
  });

  it("stores the lead and sends the visitor to Leadgram's thank-you page when the site allows no origins, and tells the owner", async () => {
    const owner = await registerOwner();
    const target = "https://shop.example.com/thanks";
    const response = await send(owner.siteKey, { body: new URLSearchParams({ name: "Form user", _redirect: target }), headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/thanks");
    const [row, ...others] = await leadsOf(owner.tenantId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ name: "Form user", refusedRedirect: target });
    expect(JSON.parse(String(row?.extra))).toEqual({});

    // The owner sees it on the lead, in the list, and in the notice until the origin is allowed.
    const detail = await api("GET", `/api/v1/leads/${String(row?.id)}`, { token: owner.token });
    expect(detail.body.refused_redirect).toBe(target);
    const list = await api("GET", "/api/v1/leads", { token: owner.token });
    expect(list.body.items[0].refused_redirect).toBe(target);
    const notice = await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token });
    expect(notice.status).toBe(200);
    expect(notice.body).toEqual({ items: [{ target, origin: "https://shop.example.com", leads: 1, last_at: expect.any(String) }] });

    await setAllowedOrigins(owner, ["https://shop.example.com"]);
    expect((await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token })).body).toEqual({ items: [] });
    const allowed = await send(owner.siteKey, { body: new URLSearchParams({ name: "Second", _redirect: target }), headers: { accept: BROWSER_ACCEPT } });
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get("location")).toBe(target);
    expect((await leadsOf(owner.tenantId)).map((lead) => [lead.name, lead.refusedRedirect])).toEqual([["Form user", target], ["Second", null]]);
  });

  it("never redirects elsewhere: javascript:, data:, protocol-relative and other origins' targets lead to the thank-you page", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://shop.example"]);
    const targets = [
      "javascript:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example/",
      "https://evil.example/",
      "https://shop.example.evil.example/thanks",
      "https://shop.example@evil.example/",
      "http://shop.example/thanks",
      "/thanks",
    ];
    for (const target of targets) {
      const response = await send(owner.siteKey, { body: new URLSearchParams({ name: target, _redirect: target }), headers: { origin: "https://shop.example" } });
      expect(response.status, target).toBe(303);
      expect(response.headers.get("location"), target).toBe("/thanks");
    }
    const rows = await leadsOf(owner.tenantId);
    expect(rows.map((row) => [row.name, row.refusedRedirect])).toEqual(targets.map((target) => [target, target]));
    const notice = await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token });
    expect(notice.body.items.map((item: { origin: string | null }) => item.origin).sort()).toEqual(
      ["https://evil.example", "https://shop.example.evil.example", "http://shop.example", null, null, null, null].sort(),
    );
  });

  it("keeps the lead whatever the refused _redirect holds: thousands of emoji, NUL and control characters", async () => {
    const owner = await registerOwner();
    const cases = [`https://shop.example.com/${"😀".repeat(4_000)}`, "https://shop.example.com/\u0000thanks\u0007"];
    for (const target of cases) {
      const response = await send(owner.siteKey, { body: new URLSearchParams({ name: "Refused", _redirect: target }) });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/thanks");
    }
    // Nothing but control characters is no redirect at all.
    const blank = await send(owner.siteKey, { body: new URLSearchParams({ name: "Blank", _redirect: "\u0000".repeat(10) }) });
    expect(blank.status).toBe(201);

    const stored = (await leadsOf(owner.tenantId)).map((row) => row.refusedRedirect);
    expect(stored).toHaveLength(3);
    expect(Array.from(String(stored[0]))).toHaveLength(500);
    expect(stored[0]).toMatch(/^https:\/\/shop\.example\.com\/😀+…$/u);
    expect(stored.slice(1)).toEqual(["https://shop.example.com/thanks", null]);
  });

  it("answers a filled honeypot with a refused _redirect exactly like a real lead, and stores nothing", async () => {
    const owner = await registerOwner();
    const response = await send(owner.siteKey, { body: new URLSearchParams({ name: "Bot", _gotcha: "x", _redirect: "https://shop.example.com/thanks" }) });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/thanks");
    expect(await leadCount(owner.tenantId)).toBe(0);
    expect((await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token })).body).toEqual({ items: [] });
  });
});

describe("the thank-you page", () => {
  const thanks = (headers: Record<string, string>) => fetch(`${inject("appUrl")}/thanks`, { headers, redirect: "manual" });
  const backLink = (page: string) => page.match(/<a [^>]*href="([^"]*)"[^>]*>(Вернуться на сайт|Back to the site)<\/a>/)?.[1] ?? null;

  it("thanks the visitor in their browser's language, with a link back to the page they came from", async () => {
    const russian = await thanks({ "accept-language": "ru-RU,ru;q=0.9,en;q=0.8", referer: "https://shop.example.com/contact?x=1" });
    expect(russian.status).toBe(200);
    const russianPage = await russian.text();
    expect(russianPage).toMatch(/<h1[^>]*>Спасибо! Заявка отправлена\.<\/h1>/);
    expect(backLink(russianPage)).toBe("https://shop.example.com/contact?x=1");

    const english = await thanks({ "accept-language": "en-GB,en;q=0.9", referer: "https://shop.example.com/" });
    expect(english.status).toBe(200);
    const englishPage = await english.text();
    expect(englishPage).toMatch(/<h1[^>]*>Thank you! Your request has been sent\.<\/h1>/);
    expect(backLink(englishPage)).toBe("https://shop.example.com/");
  });

  it("offers no link for a Referer that is not an http(s) page", async () => {
    for (const referer of [undefined, "javascript:alert(1)", "data:text/html,x", "not a url"]) {
      const response = await thanks({ "accept-language": "ru", ...(referer ? { referer } : {}) });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toMatch(/<h1[^>]*>Спасибо! Заявка отправлена\.<\/h1>/);
      expect(backLink(page)).toBeNull();
      expect(page).not.toContain('href="javascript:');
      expect(page).not.toContain('href="data:');
    }
  });
});

describe("plain HTML forms: refusals as a page the visitor can read", () => {
  const browser = (lang = "ru-RU,ru;q=0.9,en;q=0.8", extra: Record<string, string> = {}) => ({ accept: BROWSER_ACCEPT, "accept-language": lang, ...extra });

  async function expectPage(response: Response, status: number, ...texts: string[]): Promise<string> {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toMatch(/^<!doctype html>/);
    for (const text of texts) expect(page).toContain(text);
    return page;
  }

  it("answers 422 with what to fix, in Russian or English, with a link back to the form", async () => {
    const owner = await registerOwner();
    const referer = "https://shop.example.com/contact";
    const noContact = await send(owner.siteKey, { body: new URLSearchParams({ company: "ООО Ромашка" }), headers: browser(undefined, { referer }) });
    await expectPage(noContact, 422, "Заявка не отправлена", "Укажите имя, email, телефон или сообщение", `<a href="${referer}">Вернуться к форме</a>`);

    const form = new FormData();
    form.set("name", "Ivan");
    form.set("email", "not-an-email");
    const badEmail = await send(owner.siteKey, { body: form, headers: browser("en-US,en;q=0.9") });
    const page = await expectPage(badEmail, 422, "Your request was not sent", "The email address is not valid", "Back button");
    expect(page).not.toContain("<a ");
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("escapes everything the request brought, and links back only to an http(s) Referer", async () => {
    const owner = await registerOwner();
    const evilName = '<img src=x onerror="alert(1)">';
    const response = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Ivan", [evilName]: "x".repeat(20_001) }),
      headers: browser("ru", { referer: "javascript:alert(1)" }),
    });
    const page = await expectPage(response, 422, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("javascript:");
    expect(page).not.toContain("<script");
    expect(page).not.toContain("style=");
  });

  it("answers 404, 413, 415, 400 and 403 as pages with the same status and headers", async () => {
    const owner = await registerOwner();
    await expectPage(await send("no-such-site-key", { body: new URLSearchParams({ name: "Ivan" }), headers: browser() }), 404, "сообщите об этом владельцу сайта");

    const tooLarge = await send(owner.siteKey, { body: new URLSearchParams({ name: "Ivan", a: "y".repeat(70_000) }), headers: browser() });
    await expectPage(tooLarge, 413, "слишком много текста");
    expect(tooLarge.headers.get("connection")).toBe("close");

    await expectPage(await send(owner.siteKey, { body: "name=Ivan", headers: browser(undefined, { "content-type": "text/plain" }) }), 415, "в формате, который не принимается");
    const malformed = await send(owner.siteKey, { body: "--x\r\nbroken", headers: browser(undefined, { "content-type": "multipart/form-data; boundary=x" }) });
    await expectPage(malformed, 400, "Форму не удалось прочитать");

    await setAllowedOrigins(owner, ["https://shop.example"]);
    const otherOrigin = await send(owner.siteKey, { body: new URLSearchParams({ name: "Ivan" }), headers: browser(undefined, { origin: "https://evil.example" }) });
    await expectPage(otherOrigin, 403, "не разрешено отправлять заявки");
    expect(otherOrigin.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 429 as a page with Retry-After, and keeps CORS headers", async () => {
    const owner = await registerOwner();
    const ip = uniqueClientIp();
    for (let index = 0; index < 10; index += 1) {
      expect((await submitJson(owner.siteKey, { name: `Lead ${index}` }, { "x-forwarded-for": ip })).status).toBe(201);
    }
    const refused = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "One too many" }),
      headers: browser("en", { "x-forwarded-for": ip, origin: "https://shop.example.com" }),
    });
    const retryAfter = Number(refused.headers.get("retry-after"));
    await expectPage(refused, 429, `Please wait ${retryAfter} s`);
    expect(retryAfter).toBeGreaterThan(0);
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
  });

  it("keeps the JSON answers for fetch() callers: */*, application/json, or a JSON body", async () => {
    const owner = await registerOwner();
    const body = () => new URLSearchParams({ company: "ООО Ромашка" });
    const expected = { detail: [{ loc: ["body"], msg: "Provide at least one of name, email, phone or message", type: "value_error" }], code: "validation_error" };
    for (const accept of ["*/*", "application/json", "application/json, text/html;q=0.5"]) {
      const response = await send(owner.siteKey, { body: body(), headers: { accept } });
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await readJson(response)).toEqual(expected);
    }
    const json = await submitJson(owner.siteKey, { company: "ООО Ромашка" }, { accept: BROWSER_ACCEPT });
    expect(json.status).toBe(422);
    expect(json.body).toEqual(expected);
    const unknown = await send("no-such-site-key", { body: new URLSearchParams({ name: "Ivan" }), headers: { accept: "*/*" } });
    expect(await readJson(unknown)).toEqual({ detail: "Unknown site", code: "not_found" });
  });

  it("sends a browser's accepted lead without _redirect to the thank-you page; fetch() callers still get 201 JSON", async () => {
    const owner = await registerOwner();
    const fromBrowser = await send(owner.siteKey, { body: new URLSearchParams({ name: "From a browser" }), headers: browser() });
    expect(fromBrowser.status).toBe(303);
    expect(fromBrowser.headers.get("location")).toBe("/thanks");
    const fromScript = await send(owner.siteKey, { body: new URLSearchParams({ name: "From a script" }) });
    expect(fromScript.status).toBe(201);
    expect(await readJson(fromScript)).toEqual(received);
    expect((await leadsOf(owner.tenantId)).map((row) => [row.name, row.refusedRedirect])).toEqual([["From a browser", null], ["From a script", null]]);
  });
});

describe("CORS", () => {
  const preflight = (siteKey: string, origin: string) =>
    send(siteKey, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
  const list = (value: string | null) => (value ?? "").split(",").map((entry) => entry.trim().toLowerCase());

  it("answers a preflight and allows any origin when the site lists none", async () => {
    const owner = await registerOwner();
    const response = await preflight(owner.siteKey, "https://anything.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://anything.example");
    expect(list(response.headers.get("access-control-allow-methods"))).toContain("post");
    expect(list(response.headers.get("access-control-allow-headers"))).toContain("content-type");

    const posted = await submitJson(owner.siteKey, { name: "From anywhere" }, { origin: "https://anything.example" });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("access-control-allow-origin")).toBe("https://anything.example");
    expect(await leadCount(owner.tenantId)).toBe(1);
  });

  it("allows the site's origins and refuses others with 403", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://shop.example"]);

    const allowedPreflight = await preflight(owner.siteKey, "https://shop.example");
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(list(allowedPreflight.headers.get("access-control-allow-methods"))).toContain("post");
    expect(list(allowedPreflight.headers.get("access-control-allow-headers"))).toContain("content-type");

    const allowed = await submitJson(owner.siteKey, { name: "From the shop" }, { origin: "https://shop.example" });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");

    const otherPreflight = await preflight(owner.siteKey, "https://evil.example");
    expect(otherPreflight.status).toBe(403);
    const other = await submitJson(owner.siteKey, { name: "From elsewhere" }, { origin: "https://evil.example" });
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ detail: "Origin not allowed", code: "origin_not_allowed" });
    const otherForm = await send(owner.siteKey, { body: new URLSearchParams({ name: "From elsewhere" }), headers: { origin: "https://shop.example:8443" } });
    expect(otherForm.status).toBe(403);

    const [row, ...others] = await leadsOf(owner.tenantId);
    expect(others).toEqual([]);
    expect(row?.name).toBe("From the shop");
  });

  it("applies a change of the allowed origins to the very next submission", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://old.example"]);
    expect((await submitJson(owner.siteKey, { name: "Before" }, { origin: "https://old.example" })).status).toBe(201);

    await setAllowedOrigins(owner, ["https://new.example"]);
    expect((await submitJson(owner.siteKey, { name: "Old origin" }, { origin: "https://old.example" })).status).toBe(403);
    expect((await submitJson(owner.siteKey, { name: "New origin" }, { origin: "https://new.example" })).status).toBe(201);
    expect((await leadsOf(owner.tenantId)).map((row) => row.name)).toEqual(["Before", "New origin"]);
  });
});

describe("throttling", () => {
  it("refuses the 11th submission from one address within a minute with 429 and Retry-After", async () => {
    const owner = await registerOwner();
    const ip = uniqueClientIp();
    for (let index = 0; index < 10; index += 1) {
      const response = await submitJson(owner.siteKey, { name: `Lead ${index}` }, { "x-forwarded-for": ip });
      expect(response.status).toBe(201);
    }
    const refused = await submitJson(owner.siteKey, { name: "One too many" }, { "x-forwarded-for": ip });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ detail: "Too many requests, try again later", code: "rate_limited" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const otherAddress = await submitJson(owner.siteKey, { name: "Someone else" });
    expect(otherAddress.status).toBe(201);
    const names = (await leadsOf(owner.tenantId)).map((row) => row.name);
    expect(names).toHaveLength(11);
    expect(names).not.toContain("One too many");
  });
});

describe("stored source details", () => {
  it("detects the device from the User-Agent unless the form names it", async () => {
    const owner = await registerOwner();
    const cases: [Record<string, string>, string, string][] = [
      [{ name: "Phone" }, UA.iphone, "mobile"],
      [{ name: "Tablet" }, UA.ipad, "tablet"],
      [{ name: "Desktop" }, UA.chrome, "desktop"],
      [{ name: "Explicit", device: "tablet" }, UA.iphone, "tablet"],
    ];
    for (const [body, userAgent, device] of cases) {
      const response = await submitJson(owner.siteKey, body, { "user-agent": userAgent });
      expect(response.status).toBe(201);
      expect(await leadRow(response.body.id)).toMatchObject({ device, userAgent });
    }
  });

  it("records the client address the trusted proxy forwarded, the right-most entry", async () => {
    const owner = await registerOwner();
    const direct = uniqueClientIp();
    const single = await submitJson(owner.siteKey, { name: "Single hop" }, { "x-forwarded-for": direct });
    expect((await leadRow(single.body.id))?.clientIp).toBe(direct);

    const spoofed = "203.0.113.66";
    const real = uniqueClientIp();
    const chained = await submitJson(owner.siteKey, { name: "Spoofer" }, { "x-forwarded-for": `${spoofed}, ${real}` });
    expect(chained.status).toBe(201);
    expect((await leadRow(chained.body.id))?.clientIp).toBe(real);
  });
});

describe("tenant isolation", () => {
  it("delivers and stores each site's leads for that site only", async () => {
    const a = await ownerWithBot();
    const b = await ownerWithBot();
    const forA = await submitJson(a.owner.siteKey, { name: "Alice for A", message: "secret of A" });
    const forB = await submitJson(b.owner.siteKey, { name: "Bob for B", message: "secret of B" });
    expect(forA.status).toBe(201);
    expect(forB.status).toBe(201);

    const [toA] = await a.client.waitForMessages(a.bot.id, { chatId: a.chat.id });
    const [toB] = await b.client.waitForMessages(b.bot.id, { chatId: b.chat.id });
    expect(toA?.text).toContain("Alice for A");
    expect(toA?.text).not.toContain("secret of B");
    expect(toB?.text).toContain("Bob for B");
    expect(toB?.text).not.toContain("secret of A");
    expect((await settledDelivery(forA.body.id))?.status).toBe("sent");
    expect((await settledDelivery(forB.body.id))?.status).toBe("sent");

    expect(await a.client.messages(a.bot.id)).toHaveLength(1);
    expect(await b.client.messages(b.bot.id)).toHaveLength(1);
    expect(await a.client.allMessages({ chatId: a.chat.id })).toHaveLength(1);
    expect(await b.client.allMessages({ chatId: b.chat.id })).toHaveLength(1);

    expect((await leadsOf(a.owner.tenantId)).map((row) => row.id)).toEqual([forA.body.id]);
    expect((await leadsOf(b.owner.tenantId)).map((row) => row.id)).toEqual([forB.body.id]);
    expect(await deliveryOf(forA.body.id)).toMatchObject({ tenantId: a.owner.tenantId });
    expect(await deliveryOf(forB.body.id)).toMatchObject({ tenantId: b.owner.tenantId });
  });
});
