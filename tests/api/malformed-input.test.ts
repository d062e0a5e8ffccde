import { inject, describe, expect, it } from "vitest";
import { api, newBotWithChat, registerOwner, uniqueEmail, type Account } from "../support/api-client";

// Inputs the fuzz suite (no-5xx-fuzz.test.ts) found answered with 500, one by one: they are
// refused with a 4xx `{"detail": ...}`, or (in a lead) cleaned and kept.

const NUL = "\u0000";

async function connectedBot(owner: Account) {
  const { bot, client } = await newBotWithChat("nul");
  expect((await api("POST", "/api/v1/telegram/integration", { token: owner.token, body: { bot_token: bot.token } })).status).toBe(201);
  expect((await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} })).status).toBe(200);
  const webhook = (await client.getBot(bot.id)).webhook;
  if (!webhook) throw new Error("webhook not registered at the sandbox");
  return { pathId: webhook.url.split("/").pop() ?? "", secret: webhook.secret_token };
}

describe("a URL path that does not decode to text", () => {
  it("is refused with 400 before any route or page runs (Next answered 500)", async () => {
    const owner = await registerOwner();
    for (const path of ["/api/v1/leads/%FF", "/api/v1/tokens/%ED%A0%80", "/api/v1/%C3%28", "/api/auth/%FF", "/demo/%FF", `/api/v1/public/leads/${owner.siteKey}%FF`]) {
      const response = await api("GET", path, { token: owner.token });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String) });
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
      const response = await api(method, path, { token: owner.token, body: method === "POST" ? { name: "Ivan" } : undefined });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({ detail: expect.any(String) });
    }
  });
});

describe("NUL characters (PostgreSQL text cannot hold them)", () => {
  it("are dropped from a lead's fields and names, and the lead is kept", async () => {
    const owner = await registerOwner();
    const submitted = await api("POST", `/api/v1/public/leads/${owner.siteKey}`, { body: { name: `Iv${NUL}an`, message: `${NUL}Call me`, [`size${NUL}`]: `X${NUL}L` } });
    expect(submitted.status).toBe(201);
    const lead = await api("GET", `/api/v1/leads/${submitted.body.id}`, { token: owner.token });
    expect(lead.body).toMatchObject({ name: "Ivan", message: "Call me", extra: { size: "XL" } });
  });

  it("are refused with 422 in settings, names and credentials", async () => {
    const owner = await registerOwner();
    await connectedBot(owner);
    const refused = [
      await api("POST", "/api/v1/auth/register", { body: { email: uniqueEmail(), password: "correct horse battery", site_name: `Shop${NUL}` } }),
      await api("POST", "/api/v1/auth/token", { body: { email: `${NUL}${owner.email}`, password: owner.password } }),
      await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { name: `Shop${NUL}` } }),
      await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: `CI${NUL}` } }),
      await api("PATCH", "/api/v1/telegram/integration", { token: owner.token, body: { welcome_message: `Hi${NUL}` } }),
      await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: { webhook_url: `https://leadgram.example/x${NUL}` } }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(422);
      expect(response.body.detail[0].msg).toMatch(/NUL/);
    }
  });

  it("are refused with 400 in a lead list cursor", async () => {
    const owner = await registerOwner();
    const cursor = Buffer.from(`1700000000000|a${NUL}b`).toString("base64url");
    const response = await api("GET", `/api/v1/leads?cursor=${cursor}`, { token: owner.token });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ detail: "Invalid cursor" });
  });

  it("are dropped from the chat names of a Telegram update", async () => {
    const owner = await registerOwner();
    const { pathId, secret } = await connectedBot(owner);
    const update = { update_id: 1, message: { message_id: 1, date: 1_760_000_000, chat: { id: 777_000_123, type: "group", title: `Sales${NUL}` }, text: "hello" } };
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
