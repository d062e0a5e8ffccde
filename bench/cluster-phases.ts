// What `npm run bench:cluster` adds to the lead bench's phases (bench/phases.ts): the
// outbox of a shared PostgreSQL, and a delivery drain by separate worker processes.
import pg from "pg";
import type { SandboxClient } from "../sandbox/client";
import type { WorkerProcess } from "../tests/support/worker-process";
import type { CpuMeter, CpuShare } from "./cpu-meter";
import { createAgent, epochMs, median, postJson, sleep } from "./load";
import { watchRss } from "./memory";
import { chatReports } from "./phases";
import { mapLimited, type Tenant } from "./tenants";
import { leadBody, leadUrl, parseTag, USER_AGENT, waitForPhaseMessages } from "./traffic";

/** Telegram's limits: 1 message a second in a private chat, 30 a second per bot. */
const PER_CHAT_PER_SECOND = 1;
const PER_BOT_PER_SECOND = 30;
/** How many chats amiss a drain report keeps, to look into. */
const CHATS_AMISS_KEPT = 20;
/** Tenants submitting their leads at once; each tenant's leads go one after another. */
const SUBMITTING_TENANTS = 64;

/** One lead per site, all delivered: the submission and delivery paths warmed, the per-chat pacing windows lapsed. */
export async function warmUpSites(sb: SandboxClient, webUrl: string, tenants: Tenant[]): Promise<void> {
  const since = epochMs();
  const agent = createAgent(16);
  await mapLimited(tenants, 16, (tenant) =>
    postJson(agent, leadUrl(webUrl, tenant.siteKey), leadBody(`W.${tenant.index}.0`, 0), { "user-agent": USER_AGENT }),
  );
  agent.destroy();
  const warmed = await waitForPhaseMessages(sb, "W", tenants.length, since, 60_000);
  if (warmed.length < tenants.length)
    throw new Error(`warm-up: only ${warmed.length}/${tenants.length} notifications arrived`);
  await sleep(1500);
}

/** A database of its own on the same server (for the baseline, so its rows stay out of the app's outbox). */
export async function createSiblingDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const sibling = new URL(url);
  sibling.pathname = `/${name}`;
  return sibling.toString();
}

/** The deliveries not yet ended (pending, sending, retrying) in the shared outbox. */
async function unfinishedDeliveries(sql: pg.Pool): Promise<number> {
  const { rows } = await sql.query<{ count: string }>(
    `SELECT count(*) AS "count" FROM "Delivery" WHERE "status" IN ('pending', 'sending', 'retrying')`,
  );
  return Number(rows[0]?.count ?? 0);
}

/**
 * The deliveries of leads stored since `since` (epoch ms), by attempts and the last error:
 * more than one attempt means a send failed or was in doubt and was made again.
 */
export async function deliveryAttempts(sql: pg.Pool, since: number): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ attempts: number; lastError: string | null; count: string }>(
    `SELECT "attempts", "lastError", count(*) AS "count" FROM "Delivery" WHERE "createdAt" >= $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [new Date(since)],
  );
  return Object.fromEntries(
    rows.map((row) => [
      `${row.attempts} attempt(s)${row.lastError ? `, last: ${row.lastError}` : ""}`,
      Number(row.count),
    ]),
  );
}

/** Waits until every delivery has ended (so no phase inherits another's backlog); false after `timeoutMs`. */
export async function waitForEmptyOutbox(sql: pg.Pool, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await unfinishedDeliveries(sql)) > 0) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

/**
 * What Telegram lets out for this shape, in messages a second: each chat 1 a second, each
 * bot 30 a second over its chats.
 */
function telegramCeiling(tenants: Tenant[]): number {
  const chatsPerBot = new Map<number, number>();
  for (const tenant of tenants) chatsPerBot.set(tenant.botId, (chatsPerBot.get(tenant.botId) ?? 0) + 1);
  let ceiling = 0;
  for (const chats of chatsPerBot.values()) ceiling += Math.min(PER_BOT_PER_SECOND, chats * PER_CHAT_PER_SECOND);
  return ceiling;
}

export type DrainReport = {
  workers: number;
  chats: number;
  perChat: number;
  accepted: number;
  delivered: number;
  /** Messages beyond the first of a lead (a lead notified twice). */
  duplicates: number;
  chatsInOrder: number;
  /** 429s the sandbox answered because a flood limit was exceeded (none are injected here). */
  floodRefusals: number;
  submitMs: number;
  /** From spawning the workers until every one said it was ready. */
  workerStartMs: number;
  /** First → last sendMessage of the drain. */
  firstToLastMs: number;
  /** From spawning the workers to the last sendMessage. */
  spawnToLastMs: number;
  /** The shortest drain the limits allow: a chat's messages 1 s apart. */
  idealMs: number;
  messagesPerSecond: number;
  ceilingPerSecond: number;
  paceMin: number;
  paceMedian: number;
  complete: boolean;
  cpu: CpuShare;
  /** The first chats whose messages were not their leads once each in order: the leads' numbers as sent. */
  chatsAmiss: { chatId: number; seqs: number[] }[];
  /** The workers' peak VmRSS (MiB) during the drain. */
  rssPeakMiB: Record<string, number>;
};

/**
 * With no worker running, `perChat` leads per tenant are submitted (each tenant's one after
 * another, through the web instances in turn, so their order is defined); then the workers
 * start and the bench waits for every notification. Per chat: each lead once, in order.
 */
export async function drainPhase(options: {
  sb: SandboxClient;
  webUrls: string[];
  tenants: Tenant[];
  perChat: number;
  tag: string;
  meter: CpuMeter;
  /** Starts the workers, by name, and has `meter` track them. */
  startWorkers: () => Promise<Record<string, WorkerProcess>>;
  deadlineMs: number;
}): Promise<DrainReport> {
  const { sb, webUrls, tenants, perChat, tag, meter } = options;
  const since = epochMs();
  const agent = createAgent(SUBMITTING_TENANTS);
  const submitStarted = performance.now();
  const acceptedCounts = await mapLimited(tenants, SUBMITTING_TENANTS, async (tenant) => {
    let accepted = 0;
    for (let seq = 0; seq < perChat; seq += 1) {
      const url = leadUrl(webUrls[(tenant.index + seq) % webUrls.length] ?? "", tenant.siteKey);
      const reply = await postJson(agent, url, leadBody(`${tag}.${tenant.index}.${seq}`, seq), {
        "user-agent": USER_AGENT,
      });
      if (reply.status === 201) accepted += 1;
    }
    return accepted;
  });
  const submitMs = performance.now() - submitStarted;
  agent.destroy();
  const accepted = acceptedCounts.reduce((sum, count) => sum + count, 0);

  const before = await sb.stats();
  const rss = watchRss();
  const spawnedAt = epochMs();
  const workers = await options.startWorkers();
  const workerStartMs = epochMs() - spawnedAt;
  for (const [name, worker] of Object.entries(workers)) rss.add(name, worker.pid);
  // From the workers being ready: their start-up (loading code, connecting) is not sending.
  const cpuStart = meter.sample();
  // The sandbox runs in this process: poll its counter, and read the messages once at the end.
  const deadline = Date.now() + options.deadlineMs;
  while ((await sb.stats()).messages_sent - before.messages_sent < accepted && Date.now() < deadline) await sleep(200);
  const cpu = meter.since(cpuStart);
  const rssPeakMiB = rss.stop();
  const after = await sb.stats();
  const messages = (await sb.allMessages({ since })).filter((message) => parseTag(message.text)?.phase === tag);

  const sentAt = messages.map((message) => message.sent_at);
  const first = Math.min(...sentAt);
  const last = Math.max(...sentAt);
  const distinct = new Set(messages.map((message) => `${message.chat_id}:${parseTag(message.text)?.seq}`));
  const perChatReports = chatReports(messages, tenants, perChat);
  const paces = perChatReports.map((chat) => chat.pace);
  const chatsAmiss = perChatReports
    .filter((chat) => !chat.inOrder)
    .slice(0, CHATS_AMISS_KEPT)
    .map(({ chatId }) => ({
      chatId,
      seqs: messages
        .filter((message) => message.chat_id === chatId)
        .sort((a, b) => a.sent_at - b.sent_at)
        .map((message) => parseTag(message.text)?.seq ?? -1),
    }));
  const firstToLastMs = last - first;
  return {
    workers: Object.keys(workers).length,
    chats: tenants.length,
    perChat,
    accepted,
    delivered: messages.length,
    duplicates: messages.length - distinct.size,
    chatsInOrder: perChatReports.filter((chat) => chat.inOrder).length,
    floodRefusals: after.rate_limited - before.rate_limited,
    submitMs,
    workerStartMs,
    firstToLastMs,
    spawnToLastMs: last - spawnedAt,
    idealMs: ((perChat - 1) / PER_CHAT_PER_SECOND) * 1000,
    messagesPerSecond: messages.length / (firstToLastMs / 1000),
    ceilingPerSecond: telegramCeiling(tenants),
    paceMin: Math.min(...paces),
    paceMedian: median(paces),
    complete: distinct.size === tenants.length * perChat,
    chatsAmiss,
    cpu,
    rssPeakMiB,
  };
}
