import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REQUEST_TIMEOUT_SECONDS } from "@/lib/telegram/bot-api";
import { EACH_DATABASE, loadAppAgainst, type TestDatabase } from "../support/each-database";

/**
 * The delivery queue's claims against a real database of each kind: leases run on the
 * database's clock, not the server's, and a sender whose claim was taken over (its lease
 * ran out, or a resend reset the delivery) writes nothing at all. The same for the edits of
 * lead messages, which also collapse: an edit shows the latest state asked for. On SQLite
 * a claim is taken over when its own lease runs out; on PostgreSQL when its lane's lease
 * runs out and another process takes the lane (lane-leases.ts), whose token fences off
 * every write of the former holder.
 */

type Modules = {
  writes: typeof import("@/lib/leads/delivery/delivery-writes");
  edits: typeof import("@/lib/leads/delivery/edit-writes");
  lanes: typeof import("@/lib/leads/delivery/lane-leases");
  clock: typeof import("@/lib/db/database-clock");
  db: import("@/lib/db/client").Db;
};

/** The app's modules, freshly loaded against `databaseUrl`. */
async function loadAgainst(databaseUrl: string): Promise<Modules> {
  await loadAppAgainst(databaseUrl);
  const { db } = await import("@/lib/db/client");
  return {
    writes: await import("@/lib/leads/delivery/delivery-writes"),
    edits: await import("@/lib/leads/delivery/edit-writes"),
    lanes: await import("@/lib/leads/delivery/lane-leases"),
    clock: await import("@/lib/db/database-clock"),
    db: db(),
  };
}

describe.each(EACH_DATABASE)("delivery claims on $name", ({ name, start }) => {
  let database: TestDatabase;
  let m: Modules;

  beforeAll(async () => {
    database = await start();
    m = await loadAgainst(database.url);
    expect((await import("@/lib/config")).config().databaseProvider).toBe(name);
  });

  afterAll(async () => {
    vi.useRealTimers();
    for (const tenantId of [...lanes.keys()]) await endLane(tenantId);
    await m?.db.$disconnect();
    await database?.stop();
  });

  /** A new tenant with one lead and its delivery, as intake stores them. */
  async function queuedDelivery(): Promise<{ id: string; tenantId: string; leadId: string }> {
    const tenant = await m.db.tenant.create({ data: { name: "Claims", siteKey: randomUUID() } });
    const lead = await m.db.lead.create({ data: { tenantId: tenant.id, name: "Anna" } });
    const delivery = await m.db.delivery.create({ data: { tenantId: tenant.id, leadId: lead.id } });
    return { id: delivery.id, tenantId: tenant.id, leadId: lead.id };
  }

  /** Part `part` of the delivery's notification, as Telegram accepted it (message id 100 + part). */
  const sentPart = (delivery: { id: string; tenantId: string; leadId: string }, part: number, last = false) => ({
    tenantId: delivery.tenantId,
    leadId: delivery.leadId,
    deliveryId: delivery.id,
    botId: 7n,
    chatId: 42n,
    messageId: BigInt(100 + part),
    part,
    carriesKeyboard: last,
    shownVersion: 0,
  });
  const messagesOf = (deliveryId: string) =>
    m.db.leadMessage.findMany({ where: { deliveryId }, orderBy: { part: "asc" } });

  type LaneLease = import("@/lib/leads/delivery/lane-leases").LaneLease;
  /** The lane each tenant's claims are made in, as a dispatcher of this process holds it. */
  const lanes = new Map<string, LaneLease>();
  async function laneOf(tenantId: string): Promise<LaneLease> {
    const held = lanes.get(tenantId) ?? (await m.lanes.takeLane(tenantId));
    if (!held) throw new Error(`the lane of ${tenantId} is held elsewhere`);
    lanes.set(tenantId, held);
    return held;
  }
  /** The lane has no work left, as the dispatcher sees it: it gives the lane up. */
  async function endLane(tenantId: string): Promise<void> {
    await lanes.get(tenantId)?.release();
    lanes.delete(tenantId);
  }
  const tenantOfDelivery = async (id: string) => (await m.db.delivery.findUniqueOrThrow({ where: { id } })).tenantId;
  const tenantOfMessage = async (id: string) => (await m.db.leadMessage.findUniqueOrThrow({ where: { id } })).tenantId;
  const claim = async (id: string) => m.writes.claimDelivery(await laneOf(await tenantOfDelivery(id)), id);
  const claimEdit = async (id: string) => m.edits.claimEdit(await laneOf(await tenantOfMessage(id)), id);

  /**
   * What another server gets trying the same work while the holder's lease runs. On
   * PostgreSQL it must take the lane first.
   */
  async function rivalClaim<T>(tenantId: string, claimIn: (lane: LaneLease) => Promise<T | null>): Promise<T | null> {
    if (name === "sqlite") return claimIn(await laneOf(tenantId));
    const rival = await m.lanes.takeLane(tenantId);
    return rival ? claimIn(rival) : null;
  }

  /**
   * The holder stalls past its lease, as two minutes of stalling would on SQLite (its claim's
   * lease) or 30 s on PostgreSQL (its lane's); another sender takes over and claims the work.
   */
  async function takeOver<T>(
    tenantId: string,
    expireClaim: () => Promise<unknown>,
    claimIn: (lane: LaneLease) => Promise<T | null>,
  ): Promise<T | null> {
    if (name === "sqlite") {
      await expireClaim();
      return claimIn(await laneOf(tenantId));
    }
    await m.db.$executeRaw`
      UPDATE "_leadgram_delivery_lane" SET "leaseUntil" = ${m.clock.databaseNow(-1_000)} WHERE "tenantId" = ${tenantId}`;
    lanes.delete(tenantId); // the stalled holder still believes it holds it
    return claimIn(await laneOf(tenantId));
  }
  const takeOverDelivery = async (id: string) =>
    takeOver(
      await tenantOfDelivery(id),
      () => expireLease(id),
      (lane) => m.writes.claimDelivery(lane, id),
    );

  const row = (id: string) => m.db.delivery.findUniqueOrThrow({ where: { id }, include: { attemptLog: true } });

  /** Ends the current lease as the database's clock sees it, as two minutes of stalling would. */
  const expireLease = (id: string) =>
    m.db.$executeRaw`UPDATE "Delivery" SET "leaseUntil" = ${m.clock.databaseNow(-1_000)} WHERE "id" = ${id}`;

  /** Milliseconds from the database's now to the delivery's lease end. */
  async function leaseLeftMs(id: string): Promise<number> {
    const [found] = await m.db.$queryRaw<
      { ago: number }[]
    >`SELECT ${m.clock.millisecondsSince("leaseUntil")} AS "ago" FROM "Delivery" WHERE "id" = ${id}`;
    return -Number(found?.ago);
  }

  it("a sender whose lease ran out and was taken over writes nothing; the new claim's writes land", async () => {
    const delivery = await queuedDelivery();
    const { id } = delivery;
    const a = await claim(id);
    expect(a).not.toBeNull();
    // While A's lease runs, nobody else may claim the delivery.
    expect(await rivalClaim(delivery.tenantId, (lane) => m.writes.claimDelivery(lane, id))).toBeNull();

    const b = await takeOverDelivery(id);
    expect(b).not.toBeNull();
    const taken = await row(id);

    // A wakes up and carries on as if it still held the delivery: nothing it writes lands.
    expect(await m.writes.recordPartSent(a!, 2, sentPart(delivery, 1))).toBe(false);
    expect(
      await m.writes.recordAttempt(
        a!,
        { status: "sent", reason: null, code: null },
        { partsSent: 2, message: sentPart(delivery, 2, true) },
      ),
    ).toBe(false);
    expect(await m.writes.handBack(a!, 1)).toBe(false);
    const afterStale = await row(id);
    expect(afterStale).toEqual(taken);
    expect(afterStale).toMatchObject({ status: "sending", partsSent: 0, attempts: 0, attemptLog: [] });
    expect(await messagesOf(id)).toEqual([]);

    // B's writes land, each with the message it sent.
    expect(await m.writes.recordPartSent(b!, 1, sentPart(delivery, 1))).toBe(true);
    expect(
      await m.writes.recordAttempt(
        b!,
        { status: "sent", reason: null, code: null },
        { partsSent: 2, chatId: 42n, message: sentPart(delivery, 2, true) },
      ),
    ).toBe(true);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: "sent", partsSent: 2, attempts: 1, chatId: 42n, leaseUntil: null });
    expect(sent.attemptLog.map((attempt) => attempt.outcome)).toEqual(["sent"]);
    expect(await messagesOf(id)).toMatchObject([
      { part: 1, messageId: 101n, chatId: 42n, botId: 7n, carriesKeyboard: false, editStatus: "idle" },
      { part: 2, messageId: 102n, carriesKeyboard: true, shownVersion: 0, wantedVersion: 0, editStatus: "idle" },
    ]);

    // A's outcome arriving even later still changes nothing.
    expect(
      await m.writes.recordAttempt(
        a!,
        { status: "retrying", reason: "stale", code: "telegram_unavailable", retryInMs: 1_000 },
        { partsSent: 0 },
      ),
    ).toBe(false);
    expect(await row(id)).toEqual(sent);
  });

  it("a stale sender's chat migration is not applied", async () => {
    const { id, tenantId } = await queuedDelivery();
    const integration = await m.db.telegramIntegration.create({
      data: {
        tenantId,
        botId: 1n,
        botTokenEncrypted: "x",
        botTokenLast4: "abcd",
        ownerChatId: -100n,
        webhookPathId: randomUUID(),
        webhookSecret: "s",
      },
    });
    const a = await claim(id);
    const b = await takeOverDelivery(id);
    expect(b).not.toBeNull();

    const migration = { integrationId: integration.id, fromChatId: -100n, toChatId: -1001n };
    expect(
      await m.writes.recordAttempt(
        a!,
        { status: "retrying", reason: "migrated", code: "chat_migrated", retryInMs: 0 },
        {},
        migration,
      ),
    ).toBe(false);
    expect((await m.db.telegramIntegration.findUniqueOrThrow({ where: { id: integration.id } })).ownerChatId).toBe(
      -100n,
    );
    expect((await row(id)).attemptLog).toEqual([]);

    expect(
      await m.writes.recordAttempt(
        b!,
        { status: "retrying", reason: "migrated", code: "chat_migrated", retryInMs: 0 },
        {},
        migration,
      ),
    ).toBe(true);
    expect((await m.db.telegramIntegration.findUniqueOrThrow({ where: { id: integration.id } })).ownerChatId).toBe(
      -1001n,
    );
  });

  it("a resend fences off the sender that held the delivery before it", async () => {
    const delivery = await queuedDelivery();
    const { id } = delivery;
    const a = await claim(id);
    expect(
      await m.writes.recordAttempt(
        a!,
        { status: "retrying", reason: "Bad Gateway", code: "telegram_unavailable", retryInMs: 60_000 },
        { partsSent: 1 },
      ),
    ).toBe(true);

    expect(await m.writes.requeueDelivery(id)).toBe(true);
    const reset = await row(id);
    expect(reset).toMatchObject({ status: "pending", partsSent: 0, claimToken: null });

    // A late duplicate of A's progress must not undo the reset.
    expect(await m.writes.recordPartSent(a!, 1, sentPart(delivery, 1))).toBe(false);
    expect(await m.writes.handBack(a!, 1)).toBe(false);
    expect(await row(id)).toEqual(reset);
  });

  it("leases, retry times and the retry window follow the database's clock, not the server's", async () => {
    const { id, tenantId } = await queuedDelivery();
    // Intake stored the delivery a day and an hour ago (by the database's clock).
    await m.db
      .$executeRaw`UPDATE "Delivery" SET "queuedAt" = ${m.clock.databaseNow(-25 * 3_600_000)} WHERE "id" = ${id}`;

    // This server's clock runs an hour fast.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
    try {
      const first = await claim(id);
      expect(first).not.toBeNull();
      expect(first!.queuedForMs).toBeGreaterThan(25 * 3_600_000 - 60_000);
      expect(first!.queuedForMs).toBeLessThan(25 * 3_600_000 + 60_000);
      // Two minutes from the database's now, not from the server's.
      expect(await leaseLeftMs(id)).toBeGreaterThan(110_000);
      expect(await leaseLeftMs(id)).toBeLessThan(125_000);

      // A retry due in 1 s by the database's clock is not due yet, and is after that second.
      expect(
        await m.writes.recordAttempt(first!, {
          status: "retrying",
          reason: "Bad Gateway",
          code: "telegram_unavailable",
          retryInMs: 1_000,
        }),
      ).toBe(true);
      await endLane(tenantId);
      expect(await m.writes.tenantsWithDueDeliveries(500)).not.toContain(tenantId);
      expect(await claim(id)).toBeNull();
      await endLane(tenantId);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await m.writes.tenantsWithDueDeliveries(500)).toContain(tenantId);
      const retry = await claim(id);
      expect(retry).not.toBeNull();

      // The server's clock now runs two hours slow: a live lease stays live all the same.
      vi.setSystemTime(Date.now() - 3 * 3_600_000);
      expect(await rivalClaim(tenantId, (lane) => m.writes.claimDelivery(lane, id))).toBeNull();
      expect(await m.writes.tenantsWithDueDeliveries(500)).not.toContain(tenantId);

      // A resend opens a new window.
      expect(await m.writes.recordAttempt(retry!, { status: "failed", reason: "Gave up", code: "gave_up" })).toBe(true);
      expect(await m.writes.requeueDelivery(id)).toBe(true);
      const resent = await claim(id);
      expect(resent!.queuedForMs).toBeLessThan(60_000);
    } finally {
      vi.useRealTimers();
    }
  });

  /** The lead's message with the buttons, sent and recorded, showing the lead's first state. */
  async function sentNotification() {
    const delivery = await queuedDelivery();
    const sending = await claim(delivery.id);
    const message = sentPart(delivery, 1, true);
    expect(
      await m.writes.recordAttempt(sending!, { status: "sent", reason: null, code: null }, { partsSent: 1, message }),
    ).toBe(true);
    await endLane(delivery.tenantId);
    const [row] = await messagesOf(delivery.id);
    return { ...delivery, rowId: row!.id };
  }
  const messageRow = (id: string) => m.db.leadMessage.findUniqueOrThrow({ where: { id } });
  /** A change of the lead's state, as changeLeadState writes it, asking for its edits in the same transaction. */
  const changeState = (leadId: string, version: number) =>
    m.db.$transaction(async (tx) => {
      await tx.lead.update({ where: { id: leadId }, data: { stateVersion: version } });
      await m.edits.requestEdits(tx, leadId, version);
    });

  it("edits: a change asks for one, changes during its send leave another due, a stale sender writes nothing", async () => {
    const { leadId, tenantId, rowId } = await sentNotification();
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "idle", shownVersion: 0, wantedVersion: 0 });
    expect(await m.edits.dueEdits(tenantId, 10)).toEqual([]);

    await changeState(leadId, 1);
    expect(await m.edits.dueEdits(tenantId, 10)).toEqual([rowId]);
    expect(await m.edits.tenantsWithDueEdits(1_000)).toContain(tenantId);
    const a = await claimEdit(rowId);
    expect(a).toMatchObject({ leadId, chatId: 42n, messageId: 101n, part: 1, attempts: 0 });
    expect(await rivalClaim(tenantId, (lane) => m.edits.claimEdit(lane, rowId))).toBeNull();

    // Two more changes while A sends version 1: A's outcome leaves the row due for version 3.
    await changeState(leadId, 2);
    await changeState(leadId, 3);
    expect(await m.edits.recordEditOutcome(a!, { kind: "shown", version: 1 })).toBe(true);
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "pending", shownVersion: 1, wantedVersion: 3 });

    // B's lease runs out; C takes over; B's late outcome lands nowhere.
    const b = await claimEdit(rowId);
    const c = await takeOver(
      tenantId,
      () =>
        m.db
          .$executeRaw`UPDATE "LeadMessage" SET "editLeaseUntil" = ${m.clock.databaseNow(-1_000)} WHERE "id" = ${rowId}`,
      (lane) => m.edits.claimEdit(lane, rowId),
    );
    expect(c).not.toBeNull();
    expect(await m.edits.recordEditOutcome(b!, { kind: "gone", reason: "stale", code: "telegram_error" })).toBe(false);
    expect(await m.edits.handBackEdit(b!)).toBe(false);
    expect(await m.edits.recordEditOutcome(c!, { kind: "shown", version: 3 })).toBe(true);
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "idle", shownVersion: 3, editClaimToken: c!.token });
    expect(await m.edits.dueEdits(tenantId, 10)).toEqual([]);
  });

  it("edits: a retry keeps its time, a failed edit is asked again, a message gone stays gone", async () => {
    const { leadId, tenantId, rowId } = await sentNotification();
    await changeState(leadId, 1);
    const a = await claimEdit(rowId);
    const retry = { kind: "retrying", retryInMs: 60_000, reason: "Too Many Requests", code: "rate_limited" } as const;
    expect(await m.edits.recordEditOutcome(a!, retry)).toBe(true);
    // Another change does not cut Telegram's retry_after short.
    await changeState(leadId, 2);
    expect(await m.edits.dueEdits(tenantId, 10)).toEqual([]);
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "retrying", editAttempts: 1, wantedVersion: 2 });

    await m.db
      .$executeRaw`UPDATE "LeadMessage" SET "editNextAttemptAt" = ${m.clock.databaseNow(-1_000)} WHERE "id" = ${rowId}`;
    const b = await claimEdit(rowId);
    expect(b).toMatchObject({ attempts: 1 });
    expect(await m.edits.recordEditOutcome(b!, { kind: "failed", reason: "Forbidden", code: "kicked" })).toBe(true);
    await changeState(leadId, 3);
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "pending", editAttempts: 0 });

    const c = await claimEdit(rowId);
    const gone = { kind: "gone", reason: "Bad Request: message to edit not found", code: "telegram_error" } as const;
    expect(await m.edits.recordEditOutcome(c!, gone)).toBe(true);
    await changeState(leadId, 4);
    expect(await messageRow(rowId)).toMatchObject({ editStatus: "gone", editError: gone.reason });
    expect(await m.edits.dueEdits(tenantId, 10)).toEqual([]);
  });

  it("edits: a message recorded after the lead changed during its send is due at once", async () => {
    const delivery = await queuedDelivery();
    const sending = await claim(delivery.id);
    // The notification was drawn for version 0; the lead was taken before Telegram's answer was recorded.
    await changeState(delivery.leadId, 1);
    const message = sentPart(delivery, 1, true);
    await m.writes.recordAttempt(sending!, { status: "sent", reason: null, code: null }, { partsSent: 1, message });
    const [row] = await messagesOf(delivery.id);
    expect(row).toMatchObject({ shownVersion: 0, wantedVersion: 1, editStatus: "pending" });
  });
  it.runIf(name === "postgresql")(
    "a lane holder taken over claims and writes nothing more; the new holder takes its work at once",
    async () => {
      const first = await queuedDelivery();
      const tenantId = first.tenantId;
      const secondLead = await m.db.lead.create({ data: { tenantId, name: "Boris" } });
      const second = await m.db.delivery.create({ data: { tenantId, leadId: secondLead.id } });
      const a = await m.lanes.takeLane(tenantId);
      expect(a).not.toBeNull();
      expect(await m.lanes.takeLane(tenantId), "one holder at a time").toBeNull();
      const claimA = await m.writes.claimDelivery(a!, first.id);
      expect(claimA).not.toBeNull();

      // A stalls (paused, cut off): its lane's lease runs out by the database's clock, and B takes the lane.
      await m.db.$executeRaw`
        UPDATE "_leadgram_delivery_lane" SET "leaseUntil" = ${m.clock.databaseNow(-1_000)} WHERE "tenantId" = ${tenantId}`;
      const b = await m.lanes.takeLane(tenantId);
      expect(b?.token).toBe(a!.token + 1n);

      // A carries on as if it still held the lane: it claims nothing more and records nothing.
      const sent = { status: "sent", reason: null, code: null } as const;
      expect(await m.writes.claimDelivery(a!, second.id)).toBeNull();
      expect(await m.writes.recordPartSent(claimA!, 1, sentPart(first, 1))).toBe(false);
      expect(await m.writes.recordAttempt(claimA!, sent, { partsSent: 1, message: sentPart(first, 1, true) })).toBe(
        false,
      );
      expect(await m.writes.handBack(claimA!, 0)).toBe(false);
      // Its next renewal finds the lane taken: it stops serving it.
      await vi.waitFor(() => expect(a!.held()).toBe(false), { timeout: 8_000, interval: 100 });

      // What A left "sending" (its claim's own lease still running) is B's at once, and B's writes land.
      const claimB = await m.writes.claimDelivery(b!, first.id);
      expect(claimB).not.toBeNull();
      expect(await m.writes.recordAttempt(claimB!, sent, { partsSent: 1, message: sentPart(first, 1, true) })).toBe(
        true,
      );
      expect(await row(first.id)).toMatchObject({ status: "sent", attempts: 1, attemptLog: [{ outcome: "sent" }] });
      expect(await messagesOf(first.id)).toHaveLength(1);
      expect(await m.writes.claimDelivery(b!, second.id)).not.toBeNull();

      // A giving the lane up does not free B's; B's release does, and the next token is higher still.
      await a!.release();
      expect(await m.lanes.takeLane(tenantId)).toBeNull();
      await b!.release();
      const c = await m.lanes.takeLane(tenantId);
      expect(c?.token).toBe(b!.token + 1n);
      await c!.release();
    },
  );
  it.runIf(name === "postgresql")(
    "a lane holder whose renewals stall starts no send it could not finish before another may take the lane",
    async () => {
      const { tenantId } = await queuedDelivery();
      // Only the process's own clock is faked: the renewals (every 5 s of real time) do not
      // land meanwhile, as in a process starved of CPU.
      vi.useFakeTimers({ toFake: ["performance"] });
      try {
        const lane = await m.lanes.takeLane(tenantId);
        let lastHeldMs = 0;
        for (let elapsedMs = 0; lane!.held(); elapsedMs += 250) {
          lastHeldMs = elapsedMs;
          vi.advanceTimersByTime(250);
        }
        // A send started at the last moment ends (the Bot API call times out) before the lease
        // runs out by the database's clock and another process could send it again...
        expect(lastHeldMs + REQUEST_TIMEOUT_SECONDS * 1000).toBeLessThan(m.lanes.LANE_LEASE_MS);
        // ...and a late renewal or two do not stop the lane.
        expect(lastHeldMs).toBeGreaterThanOrEqual(10_000);
        await lane!.release();
      } finally {
        vi.useRealTimers();
      }
    },
  );
});
