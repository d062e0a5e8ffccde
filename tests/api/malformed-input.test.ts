import { readFileSync } from "node:fs";
import path from "node:path";
import { inject, describe, expect, it } from "vitest";
import { api, newBotWithChat, registerOwner, uniqueEmail, type Account } from "../support/api-client";

// Inputs the fuzz suite (no-5xx-fuzz.test.ts) found answered with 500, one by one: they are
// refused with a 4xx `{"detail": ...}`, or (in a lead) cleaned and kept.

const NUL = "\u0000";

async function connectedBot(owner: Account) {
  const { bot, client } = await newBotWithChat("nul");
  expect(
    (await api("POST", "/api/v1/telegram/integration", { token: owner.token, body: { bot_token: bot.token } })).status,
  ).toBe(201);
  expect((await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} })).status).toBe(
    200,
  );
  const webhook = (await client.getBot(bot.id)).webhook;
  if (!webhook) throw new Error("webhook not registered at the sandbox");
  return { pathId: webhook.url.split("/").pop() ?? "", secret: webhook.secret_token };
}

describe("a URL path that does not decode to text", () => {
  it("is refused with 400 before any route or page runs (Next answered 500)", async () => {
    const owner = await registerOwner();
    for (const path of [
      "/api/v1/leads/%FF",
      "/api/v1/tokens/%ED%A0%80",
      "/api/v1/%C3%28",
      "/api/auth/%FF",
      "/demo/%FF",
      `/api/v1/public/leads/${owner.siteKey}%FF`,
    ]) {
      const response = await api("GET", path, { token: owner.token });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String), code: "malformed_path" });
    }
  });

  it("is refused with 400 when a segment holds a NUL (PostgreSQL answered 500)", async () => {
    const owner = await registerOwner();
    for (const [method, path] of [
      ["GET", "/api/v1/leads/a%00b"],
      ["DELETE", "/api/v1/tokens/%00"],
      ["POST", `/api/v1/public/leads/${owner.siteKey}%00`],
      ["GET", "/demo/%00"],
    ] as const) {
      const response = await api(method, path, {
        token: owner.token,
        body: method === "POST" ? { name: "Ivan" } : undefined,
      });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String), code: "malformed_path" });
    }
  });
});

describe("NUL characters (PostgreSQL text cannot hold them) and lone surrogates", () => {
  it("are dropped from a lead's fields and names, and the lead is kept", async () => {
    const owner = await registerOwner();
    const submitted = await api("POST", `/api/v1/public/leads/${owner.siteKey}`, {
      body: { name: `Iv${NUL}an`, message: `${NUL}Call me`, [`size${NUL}`]: `X${NUL}L` },
    });
    expect(submitted.status).toBe(201);
    const lead = await api("GET", `/api/v1/leads/${submitted.body.id}`, { token: owner.token });
    expect(lead.body).toMatchObject({ name: "Ivan", message: "Call me", extra: { size: "XL" } });
  });

  it("are refused with 422 in settings, names and credentials", async () => {
    const owner = await registerOwner();
    await connectedBot(owner);
    const refused = [
      await api("POST", "/api/v1/auth/register", {
        body: { email: uniqueEmail(), password: "correct horse battery", site_name: `Shop${NUL}` },
      }),
      await api("POST", "/api/v1/auth/token", { body: { email: `${NUL}${owner.email}`, password: owner.password } }),
      await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { name: `Shop${NUL}` } }),
      await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: `CI${NUL}` } }),
      await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { welcome_message: `Hi${NUL}` } }),
      await api("POST", "/api/v1/telegram/integration/webhook", {
        token: owner.token,
        body: { webhook_url: `https://leadgram.example/x${NUL}` },
      }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(422);
      expect(response.body.detail[0].msg).toMatch(/NUL/);
    }
  });

  it("lone surrogates become U+FFFD in a lead, alike on both databases (SQLite stored three)", async () => {
    const owner = await registerOwner();
    const body = '{"name": "Iv\\ud800an", "message": "\\udc00"}';
    const submitted = await api("POST", `/api/v1/public/leads/${owner.siteKey}`, {
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expect(submitted.status).toBe(201);
    const lead = await api("GET", `/api/v1/leads/${submitted.body.id}`, { token: owner.token });
    expect(lead.body).toMatchObject({ name: "Iv\ufffdan", message: "\ufffd" });
  });

  it("lone surrogates are refused with 422 in settings and names", async () => {
    const owner = await registerOwner();
    for (const [path, body] of [
      ["/api/v1/tenant", '{"name": "Shop \\ud83d"}'],
      ["/api/v1/tokens", '{"name": "\\udfff"}'],
    ] as const) {
      const response = await api(path === "/api/v1/tenant" ? "PATCH" : "POST", path, {
        token: owner.token,
        rawBody: body,
        headers: { "content-type": "application/json" },
      });
      expect(response.status, path).toBe(422);
      expect(response.body.detail[0].msg).toMatch(/surrogate/);
    }
  });

  it("are refused with 400 in a lead list cursor", async () => {
    const owner = await registerOwner();
    const cursor = Buffer.from(`1700000000000|a${NUL}b`).toString("base64url");
    const response = await api("GET", `/api/v1/leads?cursor=${cursor}`, { token: owner.token });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: "Invalid cursor", code: "bad_request" });
  });

  it("are dropped from the chat names of a Telegram update", async () => {
    const owner = await registerOwner();
    const { pathId, secret } = await connectedBot(owner);
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 1_760_000_000,
        chat: { id: 777_000_123, type: "group", title: `Sales${NUL}` },
        text: "hello",
      },
    };
    const response = await fetch(`${inject("appUrl")}/api/v1/telegram/webhook/${pathId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
    expect(response.status).toBe(200);
    const chats = await api("GET", "/api/v1/telegram/integration/chats", { token: owner.token });
    expect(chats.body.items).toEqual([expect.objectContaining({ chat_id: 777_000_123, title: "Sales" })]);
  });
});

describe("forms that were server actions", () => {
  it("no server action of the build answers an undecodable body with 500 (Next does, vercel/next.js#86945)", async () => {
    const manifest = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../../.next/server/server-reference-manifest.json"), "utf8"),
    ) as { node: Record<string, unknown> };
    for (const actionId of Object.keys(manifest.node)) {
      const response = await fetch(`${inject("appUrl")}/`, {
        method: "POST",
        headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8" },
        body: "[",
      });
      expect(response.status, actionId).toBeLessThan(500);
    }
  });

  it("the language switch is a plain form: it sets the cookie and goes back to the page", async () => {
    const base = inject("appUrl");
    const switched = await fetch(`${base}/locale`, {
      method: "POST",
      redirect: "manual",
      headers: { referer: `${base}/sign-in?next=1` },
      body: new URLSearchParams({ locale: "en" }),
    });
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe("/sign-in?next=1");
    expect(switched.headers.getSetCookie().join()).toMatch(/leadgram_locale=en/);
    const elsewhere = await fetch(`${base}/locale`, {
      method: "POST",
      redirect: "manual",
      headers: { referer: "https://evil.example/x" },
      body: new URLSearchParams({ locale: "ru" }),
    });
    expect(elsewhere.headers.get("location")).toBe("/");
    const garbage = await fetch(`${base}/locale`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "--x\r\n\r\n",
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ detail: expect.any(String), code: "bad_request" });
  });

  it("signing out is a plain form: it clears the session cookie and goes home", async () => {
    const response = await fetch(`${inject("appUrl")}/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: "authjs.session-token=abc" },
      body: "[",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.getSetCookie()).toContainEqual(
      expect.stringMatching(/^authjs\.session-token=;.*Max-Age=0/),
    );
  });
});

describe("a method the route does not define", () => {
  it('answers 405 {"detail"} with Allow, and OPTIONS names the same methods (Next answered an empty 405)', async () => {
    const owner = await registerOwner();
    for (const [method, path, allow] of [
      ["PUT", "/api/v1/tenant", "GET, HEAD, OPTIONS, PATCH"],
      ["DELETE", "/api/v1/health", "GET, HEAD, OPTIONS"],
      ["GET", "/api/v1/auth/password", "OPTIONS, POST"],
      ["PATCH", `/api/v1/public/leads/${owner.siteKey}`, "OPTIONS, POST"],
    ] as const) {
      const response = await api(method, path, {
        token: owner.token,
        body: method === "GET" ? undefined : { name: "Ivan" },
      });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.body, `${method} ${path}`).toEqual({ detail: "Method Not Allowed", code: "method_not_allowed" });
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
    }
    const options = await fetch(`${inject("appUrl")}/api/v1/tenant`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PATCH");
  });
});

describe("a method no route handler knows", () => {
  it('is refused under /api/v1 with 400 {"detail"} (Next answered an empty 400)', async () => {
    const owner = await registerOwner();
    for (const [method, path] of [
      ["PROPFIND", "/api/v1/tenant"],
      ["QUERY", `/api/v1/leads?status=pending`],
      ["LOCK", "/api/v1/nothing"],
    ] as const) {
      const response = await api(method, path, { token: owner.token });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body, `${method} ${path}`).toEqual({ detail: "Unsupported HTTP method", code: "bad_request" });
    }
  });
});

describe("a path no API route names", () => {
  it('answers 404 {"detail"} to any method, /api/v1 itself included (it was the HTML page, and OPTIONS a 204 naming every method)', async () => {
    for (const [method, path] of [
      ["GET", "/api/v1"],
      ["POST", "/api/v1"],
      ["OPTIONS", "/api/v1/nothing"],
      ["DELETE", "/api/v1/nothing/at/all"],
    ] as const) {
      const response = await api(method, path);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body, `${method} ${path}`).toEqual({ detail: "Not Found", code: "not_found" });
    }
  });
});
