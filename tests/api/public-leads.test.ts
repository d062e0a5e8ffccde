import { describe, expect, it } from "vitest";
import { api, registerOwner, uniqueClientIp } from "../support/api-client";
import {
  leadRow,
  leadsOf,
  leadCount,
  deliveryOf,
  settledDelivery,
  received,
  leadsPath,
  submitJson,
  send,
  readJson,
  ownerWithBot,
  UA,
} from "../support/public-leads";

// POST /api/v1/public/leads/<site_key>: what is stored, what is refused, and for whom.

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

    const withCharset = await send(owner.siteKey, {
      body: JSON.stringify({ email: "second@example.com" }),
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
    expect(withCharset.status).toBe(201);
    const second = await readJson(withCharset);
    expect(second).toEqual(received);
    expect(await leadRow(second.id)).toMatchObject({
      tenantId: owner.tenantId,
      email: "second@example.com",
      name: null,
      extra: "{}",
    });
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
    expect(response.body).toEqual({
      detail: [{ loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" }],
      code: "validation_error",
    });
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 422 when none of name, email, phone or message is given", async () => {
    const owner = await registerOwner();
    for (const body of [
      { company: "ООО Ромашка" },
      { company: "ООО Ромашка", name: "   ", utm_source: "google", extra: "x" },
      {},
    ]) {
      const response = await submitJson(owner.siteKey, body);
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        detail: [{ loc: ["body"], msg: "Provide at least one of name, email, phone or message", type: "value_error" }],
        code: "validation_error",
      });
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
      expect(response.body).toEqual({
        detail: [{ loc: ["body"], msg: "JSON decode error", type: "json_invalid" }],
        code: "validation_error",
      });
    }
    for (const rawBody of ['[{"name": "Ivan"}]', '"Ivan"', "null", "42"]) {
      const response = await api("POST", leadsPath(owner.siteKey), { rawBody, headers });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        detail: [{ loc: ["body"], msg: "Input should be a JSON object", type: "dict_type" }],
        code: "validation_error",
      });
    }
    const nested = await submitJson(owner.siteKey, { name: "Ivan", address: { city: "Moscow" } });
    expect(nested.status).toBe(422);
    expect(nested.body.detail).toEqual([expect.objectContaining({ loc: ["body", "address"] })]);
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 415 for an unsupported content type", async () => {
    const owner = await registerOwner();
    // A string body without a type is labelled text/plain;charset=UTF-8 by fetch.
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "application/xml" }, {}] as Record<
      string,
      string
    >[]) {
      const response = await send(owner.siteKey, { body: "name=Ivan", headers });
      expect(response.status).toBe(415);
      expect(await readJson(response)).toEqual({
        detail: "Send application/json, application/x-www-form-urlencoded or multipart/form-data",
        code: "unsupported_media_type",
      });
    }
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("answers 413 for a body over 64 KiB, declared or streamed", async () => {
    const owner = await registerOwner();
    const big = JSON.stringify({
      name: "Ivan",
      a: "x".repeat(19_000),
      b: "x".repeat(19_000),
      c: "x".repeat(19_000),
      d: "x".repeat(9_000),
    });
    expect(big.length).toBeGreaterThan(64 * 1024);
    const declared = await send(owner.siteKey, { body: big, headers: { "content-type": "application/json" } });
    expect(declared.status).toBe(413);
    expect(await readJson(declared)).toEqual({
      detail: "Request body is larger than 64 KiB",
      code: "payload_too_large",
    });
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
    expect(await readJson(streamed)).toEqual({
      detail: "Request body is larger than 64 KiB",
      code: "payload_too_large",
    });
    expect(await leadCount(owner.tenantId)).toBe(0);
  });

  it("accepts 50 fields and answers 422 for more", async () => {
    const owner = await registerOwner();
    const fields = (count: number) =>
      Object.fromEntries([
        ["name", "Ivan"],
        ...Array.from({ length: count - 1 }, (_, index) => [`f${index + 1}`, "v"]),
      ]);
    const tooMany = await submitJson(owner.siteKey, fields(51));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toEqual({
      detail: [{ loc: ["body"], msg: "A submission may have at most 50 fields", type: "too_many_fields" }],
      code: "validation_error",
    });
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
    expect(tooLong.body).toEqual({
      detail: [{ loc: ["body", "notes"], msg: "String should have at most 20000 characters", type: "string_too_long" }],
      code: "validation_error",
    });
    const tooLongMessage = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Ivan", message: "m".repeat(20_001) }),
    });
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
    const trapped = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Spam bot", email: "spam@example.com", _gotcha: "http://spam.example" }),
    });
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
