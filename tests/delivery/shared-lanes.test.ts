import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SandboxClient, type SentMessageRecord } from "../../sandbox/client";
import { startSandbox, type RunningSandbox } from "../../sandbox/start-sandbox";
import { connectBot, requestApi, signUpOwner, type Account } from "../support/api-client";
import { startAppServer, type AppServer } from "../support/app-server";
import { startTemporaryPostgres, type TemporaryPostgres } from "../support/postgres-server";
import { countByName, expectPrivateChatPace, leadNames, namesInChatOrder, sleep, waitFor } from "./harness";

/**
 * Two servers on one PostgreSQL database share the outbox: a chat's notifications go out
 * once each, in the order the leads arrived, and at Telegram's pace, whichever server took
 * the lead and whichever sends it; a server killed while it holds lanes has them taken over
 * by the other once their leases run out (lib/leads/delivery/lane-leases.ts).
 */

let database: TemporaryPostgres;
let sandbox: RunningSandbox;
let client: SandboxClient;
let dir: string;
let servers: AppServer[] = [];
let sql: pg.Pool;
const refusalsByBot = new Map<number, number>();
const rateLimited = (botId: number) => refusalsByBot.get(botId) ?? 0;

function startServer(): Promise<AppServer> {
  return startAppServer(
    {
      DATABASE_URL: database.url,
      TELEGRAM_API_URL: sandbox.url,
      PUBLIC_API_URL: "https://leadgram.example",
      LEADS_PER_MINUTE_PER_CLIENT: "100000",
      LEADS_PER_MINUTE_PER_SITE: "100000",
    },
    path.join(dir, "app.log"),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "leadgram-lanes-"));
  database = await startTemporaryPostgres();
  sandbox = await startSandbox();
  client = new SandboxClient(sandbox.url);
  const flood = sandbox.state.flood;
  const trySend = flood.trySend.bind(flood);
  vi.spyOn(flood, "trySend").mockImplementation((botId, chatId) => {
    const verdict = trySend(botId, chatId);
    if (!verdict.ok) refusalsByBot.set(botId, rateLimited(botId) + 1);
    return verdict;
  });
  // One after the other: the first applies the migrations.
  servers = [await startServer(), await startServer()];
  await client.setDeliverTo(servers[0]!.url);
  sql = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await sql?.end();
  await Promise.all(servers.map((server) => server.stop()));
  await sandbox?.close();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A new site (signed up through `server`) with its own bot connected to a new private chat. */
async function siteWithPrivateChat(server: AppServer) {
  const owner = await signUpOwner(server.url, "Shared lanes site");
  const bot = await client.createBot({ username: `lane_${randomUUID().slice(0, 8)}_bot` });
  const chat = await client.createPrivateChat({ first_name: "Owner" });
  await connectBot(server.url, owner, bot.token, chat.id);
  return { owner, botId: bot.id, chatId: chat.id };
}

async function submitLead(server: AppServer, owner: Account, name: string): Promise<void> {
  const response = await requestApi(server.url, "POST", `/api/v1/public/leads/${owner.siteKey}`, {
    body: { name, phone: "+1 555 0100" },
  });
  if (response.status !== 201) throw new Error(`submit ${name}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Waits until the chat has `count` messages (and a moment more, to see any extra one arrive). */
async function waitForChat(botId: number, chatId: number, count: number, timeoutMs: number) {
  await waitFor(
    `${count} messages in chat ${chatId}`,
    async () => ((await client.messages(botId, { chatId })).length >= count ? true : undefined),
    timeoutMs,
    250,
  );
  await sleep(1_500);
  return client.messages(botId, { chatId });
}

/** The tenant's deliveries by status, and the attempts Telegram answered with 429. */
async function outbox(tenantId: string) {
  const statuses = await sql.query<{ status: string; count: string }>(
    `SELECT "status", count(*) AS "count" FROM "Delivery" WHERE "tenantId" = $1 GROUP BY "status"`,
    [tenantId],
  );
  const floods = await sql.query<{ count: string }>(
    `SELECT count(*) AS "count" FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
      WHERE d."tenantId" = $1 AND a."errorCode" = 429`,
    [tenantId],
  );
  return {
    byStatus: Object.fromEntries(statuses.rows.map((row) => [row.status, Number(row.count)])),
    flood429s: Number(floods.rows[0]?.count ?? 0),
  };
}

const laneTakes = async (tenantId: string) =>
  Number(
    (
      await sql.query<{ fencingToken: string }>(
        `SELECT "fencingToken" FROM "_leadgram_delivery_lane" WHERE "tenantId" = $1`,
        [tenantId],
      )
    ).rows[0]?.fencingToken ?? 0,
  );

const laneHolder = async (tenantId: string) =>
  (
    await sql.query<{ holder: string }>(`SELECT "holder" FROM "_leadgram_delivery_lane" WHERE "tenantId" = $1`, [
      tenantId,
    ])
  ).rows[0]?.holder ?? "";

/** Every name once, in the order submitted. */
function expectOnceInOrder(messages: SentMessageRecord[], names: string[]) {
  expect(namesInChatOrder(messages, names)).toEqual(names);
  expect(countByName(messages, names)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));
}

describe("two servers sharing one PostgreSQL database", () => {
  it("30 leads into one chat through both servers in turn: each once, in order, a second apart, no 429", async () => {
    const [a, b] = servers as [AppServer, AppServer];
    const { owner, botId, chatId } = await siteWithPrivateChat(a);
    const names = leadNames("alternate", 30);
    // A little faster than the chat's pace: at first the lane ends between leads and the
    // other server takes it; then the queue grows and the servers' leads share one lane.
    for (const [index, name] of names.entries()) {
      await submitLead(index % 2 === 0 ? a : b, owner, name);
      await sleep(800);
    }

    const messages = await waitForChat(botId, chatId, 30, 60_000);
    expect(messages).toHaveLength(30);
    expectOnceInOrder(messages, names);
    expectPrivateChatPace(expect, messages);
    expect(rateLimited(botId)).toBe(0);
    expect(await outbox(owner.tenantId)).toEqual({ byStatus: { sent: 30 }, flood429s: 0 });
    expect(await laneTakes(owner.tenantId), "the lane moved between the servers").toBeGreaterThan(1);
  }, 180_000);

  it("300 leads over 30 chats through both servers: all delivered, each chat in order", async () => {
    const [a, b] = servers as [AppServer, AppServer];
    const sites = await Promise.all(Array.from({ length: 30 }, (_, index) => siteWithPrivateChat(servers[index % 2]!)));
    const namesBySite = sites.map((_, index) => leadNames(`chat${index}`, 10));
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        sites.map((site, index) =>
          submitLead((round + index) % 2 === 0 ? a : b, site.owner, namesBySite[index]![round]!),
        ),
      );
    }

    await waitFor(
      "10 messages in each chat",
      async () => {
        const counts = await Promise.all(sites.map(async (site) => (await client.messages(site.botId)).length));
        return counts.every((count) => count >= 10) ? true : undefined;
      },
      60_000,
      500,
    );
    await sleep(1_500);
    for (const [index, site] of sites.entries()) {
      const messages = await client.messages(site.botId, { chatId: site.chatId });
      expect(messages).toHaveLength(10);
      expectOnceInOrder(messages, namesBySite[index]!);
      expect(rateLimited(site.botId)).toBe(0);
      expect(await outbox(site.owner.tenantId)).toEqual({ byStatus: { sent: 10 }, flood429s: 0 });
    }
  }, 180_000);

  it("a server killed while it holds a lane: the other takes it over after the lease, nothing is sent twice", async () => {
    const [a, b] = servers as [AppServer, AppServer];
    const { owner, botId, chatId } = await siteWithPrivateChat(a);
    const names = leadNames("takeover", 20);
    for (const name of names) await submitLead(a, owner, name);

    // Between two sends (the next one waits for its slot), the holder dies. Both servers
    // hear of the leads, so either may hold the lane: the row names the holder's pid.
    await client.waitForMessages(botId, { chatId, count: 5, timeoutMs: 20_000 });
    const holder = await laneHolder(owner.tenantId);
    const victim = servers.find((server) => holder.split(":")[1] === String(server.pid));
    if (!victim) throw new Error(`no server is the lane's holder ${holder}`);
    const survivor = victim === a ? b : a;
    await sleep(400);
    process.kill(victim.pid, "SIGKILL");
    const killedAt = Date.now();
    await victim.stop();
    servers = [survivor];

    const messages = await waitForChat(botId, chatId, 20, 60_000);
    expect(messages).toHaveLength(20);
    expectOnceInOrder(messages, names);
    // A send the dead server had already made may reach the sandbox a little after the
    // kill on a loaded machine; at most that one, and nothing else until the lease ran out.
    const inFlight = messages.filter((message) => message.sent_at > killedAt && message.sent_at <= killedAt + 2_000);
    expect(inFlight.length, "sends that reached Telegram just after the kill").toBeLessThanOrEqual(1);
    const afterKill = messages.filter((message) => message.sent_at > killedAt + 2_000);
    expect(afterKill.length, "the other server sent the rest").toBeGreaterThan(0);
    // Not before the dead server's 30 s lease ran out (renewed at most 5 s before the kill),
    // and soon after (the poll runs every second).
    const resumedInMs = (afterKill[0]?.sent_at ?? 0) - killedAt;
    expect(resumedInMs).toBeGreaterThan(24_000);
    expect(resumedInMs).toBeLessThan(35_000);
    expect(rateLimited(botId)).toBe(0);
    expect(await outbox(owner.tenantId)).toEqual({ byStatus: { sent: 20 }, flood429s: 0 });
  }, 180_000);
});
