import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  leadDetailSchema,
  leadFiguresSchema,
  leadListSchema,
  type LeadDetail,
  type LeadState,
} from "@/lib/schemas/leads";
import { addMember, api, registerOwner, type Account } from "../support/api-client";
import { TEST_AUTH_SECRET, TEST_ENCRYPTION_KEY } from "../support/app-server";

/**
 * Lead states over HTTP, and changeLeadState itself against the server's own database (the
 * Telegram buttons will call it): simultaneous takes, and the dashboard's figures from
 * history written at chosen times.
 */

type Modules = {
  change: typeof import("@/lib/leads/state/change-lead-state");
  db: import("@/lib/db/client").Db;
};
let m: Modules;

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: inject("databaseUrl"),
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    AUTH_SECRET: TEST_AUTH_SECRET,
  });
  vi.resetModules();
  delete (globalThis as { leadgramDb?: unknown }).leadgramDb;
  const { db } = await import("@/lib/db/client");
  m = { change: await import("@/lib/leads/state/change-lead-state"), db: db() };
});

afterAll(async () => {
  await m?.db.$disconnect();
});

async function submit(owner: Account, name = "Анна"): Promise<string> {
  const response = await api("POST", `/api/v1/public/leads/${owner.siteKey}`, { body: { name } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body as { id: string }).id;
}

async function patch(account: Account, leadId: string, state: LeadState): Promise<LeadDetail> {
  const response = await api("PATCH", `/api/v1/leads/${leadId}`, { token: account.token, body: { state } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return leadDetailSchema.parse(response.body);
}

async function detail(account: Account, leadId: string): Promise<LeadDetail> {
  return leadDetailSchema.parse((await api("GET", `/api/v1/leads/${leadId}`, { token: account.token })).body);
}

async function listed(account: Account, query: string): Promise<string[]> {
  const response = await api("GET", `/api/v1/leads${query}`, { token: account.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return leadListSchema.parse(response.body).items.map((lead) => lead.id);
}

const webActor = (account: Account) => ({
  name: account.email,
  telegram_user_id: null,
  telegram_username: null,
  user_id: account.userId,
});

describe("a lead's state", () => {
  it("starts new, taken by nobody, with no history", async () => {
    const owner = await registerOwner();
    const id = await submit(owner);
    const lead = await detail(owner, id);
    expect(lead).toMatchObject({ state: "new", taken_by: null, state_history: [] });
    const [item] = leadListSchema.parse((await api("GET", "/api/v1/leads", { token: owner.token })).body).items;
    expect(item).toMatchObject({ id, state: "new", taken_by: null });
  });

  it("is changed by any role; taking names the taker, done keeps them, new and spam clear them", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const admin = await addMember(owner, "admin");
    const id = await submit(owner);

    const taken = await patch(member, id, "in_progress");
    expect(taken).toMatchObject({ id, state: "in_progress", taken_by: webActor(member) });
    expect(taken.state_history).toEqual([
      { state: "in_progress", by: webActor(member), source: "web", at: expect.stringMatching(/^\d{4}-.*\d\dZ$/) },
    ]);

    expect(await patch(owner, id, "done")).toMatchObject({ state: "done", taken_by: webActor(member) });
    expect(await patch(admin, id, "new")).toMatchObject({ state: "new", taken_by: null });
    await patch(admin, id, "in_progress");
    const spam = await patch(owner, id, "spam");
    expect(spam).toMatchObject({ state: "spam", taken_by: null });

    expect(spam.state_history.map((change) => [change.state, change.by.user_id, change.source])).toEqual([
      ["in_progress", member.userId, "web"],
      ["done", owner.userId, "web"],
      ["new", admin.userId, "web"],
      ["in_progress", admin.userId, "web"],
      ["spam", owner.userId, "web"],
    ]);
    const times = spam.state_history.map((change) => change.at);
    expect([...times].sort()).toEqual(times);
    // The list carries the state and the holder, not the history.
    const [item] = leadListSchema.parse((await api("GET", "/api/v1/leads", { token: member.token })).body).items;
    expect(item).toMatchObject({ state: "spam", taken_by: null });
    expect(item).not.toHaveProperty("state_history");
  });

  it("does nothing when patched to the state it has: no history row, the holder kept", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const id = await submit(owner);
    await patch(member, id, "in_progress");
    const again = await patch(owner, id, "in_progress");
    expect(again).toMatchObject({ state: "in_progress", taken_by: webActor(member) });
    expect(again.state_history).toHaveLength(1);
  });

  it("keeps the taker's name after their account is deleted, without the account", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const id = await submit(owner);
    await patch(member, id, "in_progress");
    // Removed from their only site, the account is deleted.
    expect((await api("DELETE", `/api/v1/tenant/members/${member.userId}`, { token: owner.token })).status).toBe(204);
    const gone = { ...webActor(member), user_id: null };
    expect(await detail(owner, id)).toMatchObject({
      taken_by: gone,
      state_history: [{ state: "in_progress", by: gone }],
    });
  });

  it("refuses an invalid state with 422 naming the field, and needs a lead of the caller's site", async () => {
    const owner = await registerOwner();
    const other = await registerOwner();
    const id = await submit(owner);

    for (const body of [{ state: "closed" }, { state: null }, {}, { state: ["new"] }]) {
      const refused = await api("PATCH", `/api/v1/leads/${id}`, { token: owner.token, body });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: "validation_error", detail: [{ loc: ["body", "state"] }] });
    }
    expect((await api("PATCH", `/api/v1/leads/${id}`, { body: { state: "done" } })).status).toBe(401);
    expect(await api("PATCH", `/api/v1/leads/${id}`, { token: other.token, body: { state: "done" } })).toMatchObject({
      status: 404,
      body: { detail: "Lead not found", code: "not_found" },
    });
    expect(
      (await api("PATCH", `/api/v1/leads/${randomUUID()}`, { token: owner.token, body: { state: "done" } })).status,
    ).toBe(404);
    expect(await detail(owner, id)).toMatchObject({ state: "new", state_history: [] });
  });

  it("ends consistent after simultaneous changes: the state is the last history row's", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const id = await submit(owner);
    const states: LeadState[] = ["in_progress", "done", "spam", "new", "in_progress", "done", "spam", "new"];
    const answers = await Promise.all(
      states.map((state, n) =>
        api("PATCH", `/api/v1/leads/${id}`, { token: (n % 2 ? member : owner).token, body: { state } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(states.map(() => 200));
    const lead = await detail(owner, id);
    expect(lead.state_history.length).toBeGreaterThanOrEqual(1);
    expect(lead.state_history.at(-1)?.state).toBe(lead.state);
    // No row repeats the state before it: a change to the current state writes nothing.
    lead.state_history.forEach((change, n) => expect(change.state).not.toBe(lead.state_history[n - 1]?.state));
    // The holder is the one the history gives: each take sets it, new and spam clear it, done keeps it.
    const holder = lead.state_history.reduce<LeadDetail["taken_by"]>(
      (held, change) => (change.state === "in_progress" ? change.by : change.state === "done" ? held : null),
      null,
    );
    expect(lead.taken_by).toEqual(holder);
  });
});

describe("GET /api/v1/leads?state=", () => {
  it("filters by state, alone and with the delivery status, by cursor pages", async () => {
    const owner = await registerOwner();
    const ids = [];
    for (let n = 0; n < 6; n += 1) ids.push(await submit(owner, `Lead ${n}`));
    const [a, b, c, d, e, f] = ids as [string, string, string, string, string, string];
    await patch(owner, b, "in_progress");
    await patch(owner, d, "in_progress");
    await patch(owner, f, "in_progress");
    await patch(owner, c, "spam");
    await patch(owner, e, "done");

    expect(await listed(owner, "?state=in_progress")).toEqual([f, d, b]);
    expect(await listed(owner, "?state=new")).toEqual([a]);
    expect(await listed(owner, "?state=done")).toEqual([e]);
    expect(await listed(owner, "?state=spam")).toEqual([c]);

    const page1 = leadListSchema.parse(
      (await api("GET", "/api/v1/leads?state=in_progress&limit=2", { token: owner.token })).body,
    );
    expect(page1.items.map((lead) => lead.id)).toEqual([f, d]);
    expect(await listed(owner, `?state=in_progress&limit=2&cursor=${page1.next_cursor}`)).toEqual([b]);

    // Without a bot every delivery is skipped: with the status, the state still filters.
    for (let attempt = 0; (await listed(owner, "?status=skipped")).length < 6; attempt += 1) {
      expect(attempt).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await listed(owner, "?status=skipped&state=in_progress")).toEqual([f, d, b]);
    expect(await listed(owner, "?status=sent&state=in_progress")).toEqual([]);
  });

  it("refuses an unknown state with 422 naming the parameter", async () => {
    const owner = await registerOwner();
    const refused = await api("GET", "/api/v1/leads?state=lost", { token: owner.token });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: "validation_error", detail: [{ loc: ["query", "state"] }] });
  });

  it("puts the state in the CSV export's last column", async () => {
    const owner = await registerOwner();
    const id = await submit(owner);
    await patch(owner, id, "done");
    const response = await fetch(`${inject("appUrl")}/api/v1/leads/export.csv`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    const [header, row] = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(header).toMatch(/,delivery_status,delivery_error,state$/);
    expect(row).toMatch(/,done$/);
  });
});

describe("changeLeadState from Telegram", () => {
  const ivan = { id: 700_000_001, firstName: "Иван", lastName: "Петров", username: "ivan" };
  const olga = { id: 700_000_002, firstName: "Ольга" };

  it("lets the first of two simultaneous takes win and tells the second who holds the lead", async () => {
    const owner = await registerOwner();
    for (let round = 0; round < 5; round += 1) {
      const leadId = await submit(owner, `Race ${round}`);
      const take = (telegramUser: typeof ivan | typeof olga) =>
        m.change.changeLeadState({
          tenantId: owner.tenantId,
          leadId,
          to: "in_progress",
          expectedFrom: "new",
          actor: { source: "telegram", telegramUser },
        });
      const results = await Promise.all([take(ivan), take(olga)]);
      const winners = results.filter((result) => result.changed);
      const losers = results.filter((result) => !result.changed);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = winners[0]?.lead;
      const loser = losers[0];
      expect(loser).toMatchObject({ changed: false, reason: "already_taken" });
      if (loser?.reason !== "already_taken" || !winner) throw new Error("unreachable");
      expect(loser.lead.takenByTelegramUserId).toBe(winner.takenByTelegramUserId);
      expect(loser.lead.takenByName).toBe(winner.takenByName);

      const lead = await detail(owner, leadId);
      expect(lead.state_history).toHaveLength(1);
      expect(lead.taken_by).toEqual(lead.state_history[0]?.by);
      expect(lead.state_history[0]?.source).toBe("telegram");
    }
  });

  it("names the Telegram user, reports a repeated press and a press on a changed lead without an error", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    const leadId = await submit(owner);
    const press = (to: LeadState, telegramUser: typeof ivan | typeof olga, expectedFrom?: LeadState) =>
      m.change.changeLeadState({
        tenantId: owner.tenantId,
        leadId,
        to,
        expectedFrom,
        actor: { source: "telegram", telegramUser, userId: telegramUser === ivan ? member.userId : undefined },
      });

    const seen: string[] = [];
    const taken = await m.change.changeLeadState({
      tenantId: owner.tenantId,
      leadId,
      to: "in_progress",
      actor: { source: "telegram", telegramUser: ivan, userId: member.userId },
      onChanged: async (tx, change) => {
        // Inside the transaction: the change is visible to it.
        const row = await tx.lead.findUniqueOrThrow({ where: { id: change.lead.id } });
        seen.push(`${change.from}→${row.state} by ${change.actor.name}`);
      },
    });
    expect(taken.changed).toBe(true);
    expect(seen).toEqual(["new→in_progress by Иван Петров"]);
    const ivanActor = {
      name: "Иван Петров",
      telegram_user_id: 700_000_001,
      telegram_username: "ivan",
      user_id: member.userId,
    };
    expect(await detail(owner, leadId)).toMatchObject({
      taken_by: ivanActor,
      state_history: [{ state: "in_progress", by: ivanActor, source: "telegram" }],
    });

    expect(await press("in_progress", ivan, "new")).toMatchObject({ changed: false, reason: "unchanged" });
    // The member who linked Ivan's account holds it too, from the inbox.
    await patch(member, leadId, "in_progress");
    expect(await press("in_progress", ivan)).toMatchObject({ changed: false, reason: "unchanged" });
    expect(await press("in_progress", olga)).toMatchObject({ changed: false, reason: "already_taken" });
    expect(await press("done", olga, "in_progress")).toMatchObject({ changed: true });
    // Olga closed it; Ivan's «Готово» on his message showing «в работе» finds it done already.
    expect(await press("done", ivan, "in_progress")).toMatchObject({ changed: false, reason: "unchanged" });
    const stale = await press("in_progress", olga, "new");
    expect(stale).toMatchObject({ changed: false, reason: "state_changed", lead: { state: "done" } });

    const lead = await detail(owner, leadId);
    expect(lead).toMatchObject({ state: "done", taken_by: ivanActor });
    expect(lead.state_history.map((change) => [change.state, change.by.name])).toEqual([
      ["in_progress", "Иван Петров"],
      ["done", "Ольга"],
    ]);
    expect(
      await m.change.changeLeadState({
        tenantId: randomUUID(),
        leadId,
        to: "new",
        actor: { source: "telegram", telegramUser: olga },
      }),
    ).toEqual({ changed: false, reason: "not_found" });
  });
});

describe("GET /api/v1/leads/stats", () => {
  const MINUTE = 60_000;

  /** A lead whose notification reached Telegram at each of `sentAt` (a resend adds one), stored directly. */
  async function leadSentAt(tenantId: string, ...sentAt: Date[]): Promise<string> {
    const lead = await m.db.lead.create({ data: { tenantId, name: "Timed" } });
    const delivery = await m.db.delivery.create({
      data: { tenantId, leadId: lead.id, status: sentAt.length ? "sent" : "skipped", sentAt: sentAt.at(-1) },
    });
    for (const at of sentAt)
      await m.db.deliveryAttempt.create({ data: { deliveryId: delivery.id, outcome: "sent", attemptedAt: at } });
    return lead.id;
  }

  /** Changes the lead's state through changeLeadState, then dates the change `at`. */
  async function changeAt(owner: Account, leadId: string, to: LeadState, at: Date) {
    const result = await m.change.changeLeadState({
      tenantId: owner.tenantId,
      leadId,
      to,
      actor: { source: "web", userId: owner.userId },
    });
    if (!result.changed) throw new Error(`no change to ${to}`);
    await m.db.leadStateChange.update({
      where: { leadId_version: { leadId, version: result.lead.stateVersion } },
      data: { at },
    });
  }

  async function stats(owner: Account) {
    const response = await api("GET", "/api/v1/leads/stats", { token: owner.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return leadFiguresSchema.parse(response.body);
  }

  it("counts open leads and the median minutes from Telegram to the first take over 30 days", async () => {
    const owner = await registerOwner();
    const member = await addMember(owner, "member");
    expect(await stats(member)).toEqual({ open_leads: 0, median_minutes_to_take: null });

    const now = Date.now();
    const ago = (minutes: number) => new Date(now - minutes * MINUTE);
    const DAY = 24 * 60;

    // Taken 10 minutes after it arrived; stays in progress.
    const a = await leadSentAt(owner.tenantId, ago(120));
    await changeAt(owner, a, "in_progress", ago(110));
    // 30 minutes; done since.
    const b = await leadSentAt(owner.tenantId, ago(DAY));
    await changeAt(owner, b, "in_progress", ago(DAY - 30));
    await changeAt(owner, b, "done", ago(DAY - 60));
    // 20 minutes to the first take; given back and taken again later: the first counts.
    const c = await leadSentAt(owner.tenantId, ago(3 * DAY));
    await changeAt(owner, c, "in_progress", ago(3 * DAY - 20));
    await changeAt(owner, c, "new", ago(3 * DAY - 50));
    await changeAt(owner, c, "in_progress", ago(3 * DAY - 200));
    // Sent twice (a resend): from the first time it reached Telegram, 45 minutes.
    const d = await leadSentAt(owner.tenantId, ago(5 * DAY), ago(5 * DAY - 40));
    await changeAt(owner, d, "in_progress", ago(5 * DAY - 45));
    await changeAt(owner, d, "spam", ago(5 * DAY - 50));
    // First taken 40 days ago: outside the window, even though taken again yesterday.
    const e = await leadSentAt(owner.tenantId, ago(40 * DAY + 5));
    await changeAt(owner, e, "in_progress", ago(40 * DAY));
    await changeAt(owner, e, "new", ago(39 * DAY));
    await changeAt(owner, e, "in_progress", ago(DAY));
    // Taken in the inbox before its notification arrived, and one never sent: no wait to count.
    const f = await leadSentAt(owner.tenantId, ago(60));
    await changeAt(owner, f, "in_progress", ago(70));
    const g = await leadSentAt(owner.tenantId);
    await changeAt(owner, g, "in_progress", ago(30));
    // Open and untouched, and one done without being taken.
    await leadSentAt(owner.tenantId, ago(15));
    const h = await leadSentAt(owner.tenantId, ago(15));
    await changeAt(owner, h, "done", ago(10));

    // Waits 10, 20, 30, 45: the median is 25. Open: a, c, e, f, g and the untouched one.
    expect(await stats(member)).toEqual({ open_leads: 6, median_minutes_to_take: 25 });

    // An odd number of waits: the middle one.
    const i = await leadSentAt(owner.tenantId, ago(300));
    await changeAt(owner, i, "in_progress", ago(300 - 90));
    expect(await stats(owner)).toEqual({ open_leads: 7, median_minutes_to_take: 30 });

    // Another site's figures are its own.
    expect(await stats(await registerOwner())).toEqual({ open_leads: 0, median_minutes_to_take: null });
    expect((await api("GET", "/api/v1/leads/stats")).status).toBe(401);
  });
});
