import { describe, expect, inject, it } from "vitest";
import { leadDetailSchema, leadListSchema } from "@/lib/schemas/leads";
import { addMember, api, newBotWithChat, registerOwner, type Account } from "../support/api-client";

async function submit(owner: Account, body: Record<string, unknown>): Promise<string> {
  const response = await api("POST", `/api/v1/public/leads/${owner.siteKey}`, { body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body as { id: string }).id;
}

async function waitForStatus(owner: Account, leadId: string, statuses: string[]) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const lead = leadDetailSchema.parse((await api("GET", `/api/v1/leads/${leadId}`, { token: owner.token })).body);
    if (statuses.includes(lead.delivery.status)) return lead;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`lead ${leadId} never reached ${statuses.join("/")}`);
}

async function connectBot(owner: Account) {
  const setup = await newBotWithChat();
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: setup.bot.token, owner_chat_id: setup.chat.id },
  });
  expect(created.status).toBe(201);
  return setup;
}

describe("GET /api/v1/leads", () => {
  it("lists the site's leads newest first with fields, extras and delivery, by cursor pages", async () => {
    const owner = await registerOwner();
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1)
      ids.push(
        await submit(owner, { name: `Lead ${index}`, email: `lead${index}@example.com`, budget: String(index) }),
      );

    const first = await api("GET", "/api/v1/leads?limit=2", { token: owner.token });
    expect(first.status).toBe(200);
    const page1 = leadListSchema.parse(first.body);
    expect(page1.items.map((lead) => lead.id)).toEqual([ids[4], ids[3]]);
    expect(page1.items[0]).toMatchObject({
      name: "Lead 4",
      email: "lead4@example.com",
      phone: null,
      extra: { budget: "4" },
    });
    expect(page1.items[0]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(page1.items[0]?.delivery).toMatchObject({ attempts: expect.any(Number), sent_at: null });

    const page2 = leadListSchema.parse(
      (await api("GET", `/api/v1/leads?limit=2&cursor=${page1.next_cursor}`, { token: owner.token })).body,
    );
    const page3 = leadListSchema.parse(
      (await api("GET", `/api/v1/leads?limit=2&cursor=${page2.next_cursor}`, { token: owner.token })).body,
    );
    expect([...page2.items, ...page3.items].map((lead) => lead.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(page3.next_cursor).toBeNull();
  });

  it("filters by delivery status", async () => {
    const owner = await registerOwner();
    const skipped = await submit(owner, { name: "No bot yet" });
    await waitForStatus(owner, skipped, ["skipped"]);
    await connectBot(owner);
    const sent = await submit(owner, { name: "With bot" });
    await waitForStatus(owner, sent, ["sent"]);
    const onlySkipped = leadListSchema.parse(
      (await api("GET", "/api/v1/leads?status=skipped", { token: owner.token })).body,
    );
    expect(onlySkipped.items.map((lead) => lead.id)).toEqual([skipped]);
    const onlySent = leadListSchema.parse((await api("GET", "/api/v1/leads?status=sent", { token: owner.token })).body);
    expect(onlySent.items.map((lead) => lead.id)).toEqual([sent]);
  });

  it("answers 422 for a bad limit or status and 400 for a forged cursor", async () => {
    const owner = await registerOwner();
    expect((await api("GET", "/api/v1/leads?limit=0", { token: owner.token })).status).toBe(422);
    expect((await api("GET", "/api/v1/leads?limit=1000", { token: owner.token })).status).toBe(422);
    expect((await api("GET", "/api/v1/leads?status=lost", { token: owner.token })).status).toBe(422);
    expect((await api("GET", "/api/v1/leads?cursor=garbage", { token: owner.token })).status).toBe(400);
  });

  it("is readable by a member and needs authentication", async () => {
    const owner = await registerOwner();
    await submit(owner, { name: "Seen by member" });
    const member = await addMember(owner, "member");
    expect(leadListSchema.parse((await api("GET", "/api/v1/leads", { token: member.token })).body).items).toHaveLength(
      1,
    );
    expect((await api("GET", "/api/v1/leads")).status).toBe(401);
  });

  it("never shows another site's leads", async () => {
    const a = await registerOwner();
    const b = await registerOwner();
    const leadOfA = await submit(a, { name: "A's lead" });
    expect(leadListSchema.parse((await api("GET", "/api/v1/leads", { token: b.token })).body).items).toEqual([]);
    expect((await api("GET", `/api/v1/leads/${leadOfA}`, { token: b.token })).status).toBe(404);
    expect((await api("POST", `/api/v1/leads/${leadOfA}/resend`, { token: b.token })).status).toBe(404);
  });
});

describe("GET /api/v1/leads/<id>", () => {
  it("shows all fields and the delivery history", async () => {
    const owner = await registerOwner();
    await connectBot(owner);
    const id = await submit(owner, {
      name: "Иван",
      phone: "+7 999",
      message: "Hi\nthere",
      utm_source: "google",
      utm_medium: "cpc",
      page: "/p",
      color: "red",
    });
    const lead = await waitForStatus(owner, id, ["sent"]);
    expect(lead).toMatchObject({
      id,
      name: "Иван",
      phone: "+7 999",
      message: "Hi\nthere",
      utm_source: "google",
      utm_medium: "cpc",
      page: "/p",
      extra: { color: "red" },
    });
    expect(lead.delivery).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    expect(lead.delivery.sent_at).not.toBeNull();
    expect(lead.delivery.reason_code).toBeNull();
    expect(lead.delivery_history).toEqual([
      { at: expect.any(String), outcome: "sent", error_code: null, description: null, code: null },
    ]);
  });

  it("names why a delivery did not go through with a reason code beside Telegram's words", async () => {
    const withoutBot = await registerOwner();
    const blocked = await registerOwner();
    const { bot, chat, client } = await connectBot(blocked);
    await client.blockBot(chat.id, bot.id);
    const unknownChat = await registerOwner();
    const { bot: lonelyBot } = await newBotWithChat();
    const created = await api("POST", "/api/v1/telegram/integration", {
      token: unknownChat.token,
      body: { bot_token: lonelyBot.token, owner_chat_id: 999_999_001 },
    });
    expect(created.status).toBe(201);

    const cases = [
      {
        owner: withoutBot,
        status: "skipped",
        code: "no_integration",
        lastError: "No active Telegram integration",
        errorCode: null,
      },
      {
        owner: blocked,
        status: "failed",
        code: "bot_blocked",
        lastError: "Forbidden: bot was blocked by the user",
        errorCode: 403,
      },
      {
        owner: unknownChat,
        status: "failed",
        code: "chat_not_found",
        lastError: "Bad Request: chat not found",
        errorCode: 400,
      },
    ] as const;
    for (const { owner, status, code, lastError, errorCode } of cases) {
      const lead = await waitForStatus(owner, await submit(owner, { name: code }), [status]);
      expect(lead.delivery).toMatchObject({ status, reason_code: code, last_error: lastError });
      expect(lead.delivery_history).toEqual([
        { at: expect.any(String), outcome: status, error_code: errorCode, description: lastError, code },
      ]);
      const listed = leadListSchema.parse((await api("GET", "/api/v1/leads", { token: owner.token })).body);
      expect(listed.items[0]?.delivery.reason_code).toBe(code);
    }
  });

  it("answers 404 for an unknown id", async () => {
    const owner = await registerOwner();
    expect(
      (await api("GET", "/api/v1/leads/00000000-0000-0000-0000-000000000000", { token: owner.token })).body,
    ).toEqual({ detail: "Lead not found", code: "not_found" });
  });
});

describe("POST /api/v1/leads/<id>/resend", () => {
  it("sends a skipped lead once the bot is connected, and a sent one again", async () => {
    const owner = await registerOwner();
    const id = await submit(owner, { name: "Early lead" });
    await waitForStatus(owner, id, ["skipped"]);
    const { bot, chat, client } = await connectBot(owner);

    const resent = await api("POST", `/api/v1/leads/${id}/resend`, { token: owner.token });
    expect(resent.status).toBe(200);
    const lead = await waitForStatus(owner, id, ["sent"]);
    expect(lead.delivery_history.map((attempt) => attempt.outcome)).toEqual(["skipped", "sent"]);
    // The resend cleared the skip's reason with its description.
    expect(lead.delivery).toMatchObject({ last_error: null, reason_code: null });
    await client.waitForMessages(bot.id, { chatId: chat.id });

    await api("POST", `/api/v1/leads/${id}/resend`, { token: owner.token });
    const messages = await client.waitForMessages(bot.id, { chatId: chat.id, count: 2 });
    expect(messages.filter((message) => message.text.includes("Early lead"))).toHaveLength(2);
  });

  it("is for site owners and admins only", async () => {
    const owner = await registerOwner();
    const id = await submit(owner, { name: "x" });
    const member = await addMember(owner, "member");
    expect((await api("POST", `/api/v1/leads/${id}/resend`, { token: member.token })).status).toBe(403);
  });
});

describe("GET /api/v1/leads/export.csv", () => {
  it("exports every lead as CSV, escaping quotes, newlines and formula-like cells", async () => {
    const owner = await registerOwner();
    await submit(owner, {
      name: 'ООО "Рога"',
      message: "line 1\nline 2, with comma",
      phone: '=HYPERLINK("http://evil")',
    });
    await submit(owner, { name: "Second", extra_field: "x" });
    const response = await fetch(`${inject("appUrl")}/api/v1/leads/export.csv`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("leads.csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel then reads UTF-8
    const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
    expect(text.startsWith("id,created_at,name,email,phone,company,message,")).toBe(true);
    expect(text).toContain('"ООО ""Рога"""');
    expect(text).toContain('"line 1\nline 2, with comma"');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain('"{""extra_field"":""x""}"');
    expect(text.indexOf("Second")).toBeLessThan(text.indexOf("Рога"));
  });
});
