import { describe, expect, inject, it } from "vitest";
import { api, registerOwner, uniqueClientIp } from "../support/api-client";
import {
  leadsOf,
  leadCount,
  received,
  submitJson,
  send,
  readJson,
  setAllowedOrigins,
  BROWSER_ACCEPT,
} from "../support/public-leads";

// Plain HTML forms: the `_redirect` target, the thank-you page and refusals as pages.

describe("_redirect", () => {
  it("answers 303 to an allowed origin's page and stores the lead without the control fields", async () => {
    const owner = await registerOwner();
    await setAllowedOrigins(owner, ["https://shop.example"]);
    const response = await send(owner.siteKey, {
      body: new URLSearchParams({
        name: "Form user",
        email: "form@example.com",
        _gotcha: "",
        _redirect: "https://shop.example/thanks",
        size: "L",
      }),
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
    const response = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Form user", _redirect: target }),
      headers: { accept: BROWSER_ACCEPT },
    });
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
    expect(notice.body).toEqual({
      items: [{ target, origin: "https://shop.example.com", leads: 1, last_at: expect.any(String) }],
    });

    await setAllowedOrigins(owner, ["https://shop.example.com"]);
    expect((await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token })).body).toEqual({ items: [] });
    const allowed = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Second", _redirect: target }),
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get("location")).toBe(target);
    expect((await leadsOf(owner.tenantId)).map((lead) => [lead.name, lead.refusedRedirect])).toEqual([
      ["Form user", target],
      ["Second", null],
    ]);
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
      const response = await send(owner.siteKey, {
        body: new URLSearchParams({ name: target, _redirect: target }),
        headers: { origin: "https://shop.example" },
      });
      expect(response.status, target).toBe(303);
      expect(response.headers.get("location"), target).toBe("/thanks");
    }
    const rows = await leadsOf(owner.tenantId);
    expect(rows.map((row) => [row.name, row.refusedRedirect])).toEqual(targets.map((target) => [target, target]));
    const notice = await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token });
    expect(notice.body.items.map((item: { origin: string | null }) => item.origin).sort()).toEqual(
      [
        "https://evil.example",
        "https://shop.example.evil.example",
        "http://shop.example",
        null,
        null,
        null,
        null,
      ].sort(),
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
    const blank = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Blank", _redirect: "\u0000".repeat(10) }),
    });
    expect(blank.status).toBe(201);

    const stored = (await leadsOf(owner.tenantId)).map((row) => row.refusedRedirect);
    expect(stored).toHaveLength(3);
    expect(Array.from(String(stored[0]))).toHaveLength(500);
    expect(stored[0]).toMatch(/^https:\/\/shop\.example\.com\/😀+…$/u);
    expect(stored.slice(1)).toEqual(["https://shop.example.com/thanks", null]);
  });

  it("answers a filled honeypot with a refused _redirect exactly like a real lead, and stores nothing", async () => {
    const owner = await registerOwner();
    const response = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Bot", _gotcha: "x", _redirect: "https://shop.example.com/thanks" }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/thanks");
    expect(await leadCount(owner.tenantId)).toBe(0);
    expect((await api("GET", "/api/v1/leads/refused-redirects", { token: owner.token })).body).toEqual({ items: [] });
  });
});

describe("the thank-you page", () => {
  const thanks = (headers: Record<string, string>) =>
    fetch(`${inject("appUrl")}/thanks`, { headers, redirect: "manual" });
  const backLink = (page: string) =>
    page.match(/<a [^>]*href="([^"]*)"[^>]*>(Вернуться на сайт|Back to the site)<\/a>/)?.[1] ?? null;

  it("thanks the visitor in their browser's language, with a link back to the page they came from", async () => {
    const russian = await thanks({
      "accept-language": "ru-RU,ru;q=0.9,en;q=0.8",
      referer: "https://shop.example.com/contact?x=1",
    });
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
  const browser = (lang = "ru-RU,ru;q=0.9,en;q=0.8", extra: Record<string, string> = {}) => ({
    accept: BROWSER_ACCEPT,
    "accept-language": lang,
    ...extra,
  });

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
    const noContact = await send(owner.siteKey, {
      body: new URLSearchParams({ company: "ООО Ромашка" }),
      headers: browser(undefined, { referer }),
    });
    await expectPage(
      noContact,
      422,
      "Заявка не отправлена",
      "Укажите имя, email, телефон или сообщение",
      `<a href="${referer}">Вернуться к форме</a>`,
    );

    const form = new FormData();
    form.set("name", "Ivan");
    form.set("email", "not-an-email");
    const badEmail = await send(owner.siteKey, { body: form, headers: browser("en-US,en;q=0.9") });
    const page = await expectPage(
      badEmail,
      422,
      "Your request was not sent",
      "The email address is not valid",
      "Back button",
    );
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
    await expectPage(
      await send("no-such-site-key", { body: new URLSearchParams({ name: "Ivan" }), headers: browser() }),
      404,
      "сообщите об этом владельцу сайта",
    );

    const tooLarge = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Ivan", a: "y".repeat(70_000) }),
      headers: browser(),
    });
    await expectPage(tooLarge, 413, "слишком много текста");
    expect(tooLarge.headers.get("connection")).toBe("close");

    await expectPage(
      await send(owner.siteKey, { body: "name=Ivan", headers: browser(undefined, { "content-type": "text/plain" }) }),
      415,
      "в формате, который не принимается",
    );
    const malformed = await send(owner.siteKey, {
      body: "--x\r\nbroken",
      headers: browser(undefined, { "content-type": "multipart/form-data; boundary=x" }),
    });
    await expectPage(malformed, 400, "Форму не удалось прочитать");

    await setAllowedOrigins(owner, ["https://shop.example"]);
    const otherOrigin = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "Ivan" }),
      headers: browser(undefined, { origin: "https://evil.example" }),
    });
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
    const expected = {
      detail: [{ loc: ["body"], msg: "Provide at least one of name, email, phone or message", type: "value_error" }],
      code: "validation_error",
    };
    for (const accept of ["*/*", "application/json", "application/json, text/html;q=0.5"]) {
      const response = await send(owner.siteKey, { body: body(), headers: { accept } });
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await readJson(response)).toEqual(expected);
    }
    const json = await submitJson(owner.siteKey, { company: "ООО Ромашка" }, { accept: BROWSER_ACCEPT });
    expect(json.status).toBe(422);
    expect(json.body).toEqual(expected);
    const unknown = await send("no-such-site-key", {
      body: new URLSearchParams({ name: "Ivan" }),
      headers: { accept: "*/*" },
    });
    expect(await readJson(unknown)).toEqual({ detail: "Unknown site", code: "not_found" });
  });

  it("sends a browser's accepted lead without _redirect to the thank-you page; fetch() callers still get 201 JSON", async () => {
    const owner = await registerOwner();
    const fromBrowser = await send(owner.siteKey, {
      body: new URLSearchParams({ name: "From a browser" }),
      headers: browser(),
    });
    expect(fromBrowser.status).toBe(303);
    expect(fromBrowser.headers.get("location")).toBe("/thanks");
    const fromScript = await send(owner.siteKey, { body: new URLSearchParams({ name: "From a script" }) });
    expect(fromScript.status).toBe(201);
    expect(await readJson(fromScript)).toEqual(received);
    expect((await leadsOf(owner.tenantId)).map((row) => [row.name, row.refusedRedirect])).toEqual([
      ["From a browser", null],
      ["From a script", null],
    ]);
  });
});
