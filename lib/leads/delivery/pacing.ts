import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { databaseNow, millisecondsSince } from "@/lib/db/database-clock";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import type { LaneFence } from "./lane-leases";
import { SlidingWindowSchedule } from "./sliding-window-schedule";

/**
 * Telegram's flood limits: about 30 messages a second per bot, 1 a second per private
 * chat, 20 a minute per group. Waiting for a slot here instead of meeting 429s keeps a
 * burst of leads in order and on time.
 *
 * A chat's sends all come from its tenant's lane, which one process serves at a time
 * (lane-leases.ts), so the chat's schedule is kept in that process's memory. On PostgreSQL
 * a lane can move to another server; the schedule moves with it: a process that takes a
 * lane first reads the chat's sends of the last minute from the messages recorded for it.
 * The bot's 30 a second spans every chat, so on PostgreSQL every server books it in one
 * shared row per bot; on SQLite one process sends everything and books it in memory.
 */
const perBot = new SlidingWindowSchedule(30, 1_000);
const perPrivateChat = new SlidingWindowSchedule(1, 1_000);
const perGroupChat = new SlidingWindowSchedule(20, 60_000);
let lastPrune = 0;

/** On PostgreSQL, sends of one bot are spaced by this much (30 a second) across all servers. */
const SHARED_BOT_INTERVAL_MS = 1_000 / 30;
const GROUP_WINDOW_MS = 60_000;

const sharedPacing = () => config().databaseProvider === "postgresql";

function chatScheduleOf(chatId: bigint) {
  // Group and supergroup ids are negative; users' are positive.
  return chatId < 0n ? perGroupChat : perPrivateChat;
}

/** The lane (tenant and token) each chat's schedule was last read from the database for. */
const chatScheduleReadFor = new Map<string, string>();

/**
 * On PostgreSQL, the first time a lane taken anew sends to a chat, the chat's schedule is
 * read from the database: the times of its last sends, as the messages recorded them.
 */
async function adoptChatSchedule(botId: bigint, chatId: bigint, lane: LaneFence): Promise<void> {
  const chatKey = `${botId}:${chatId}`;
  const laneKey = `${lane.tenantId}:${lane.token}`;
  if (!sharedPacing() || chatScheduleReadFor.get(chatKey) === laneKey) return;
  const rows = await db().$queryRaw<{ agoMs: number }[]>`
    SELECT ${millisecondsSince("createdAt")} AS "agoMs" FROM "LeadMessage"
    WHERE "botId" = CAST(${botId} AS BIGINT) AND "chatId" = CAST(${chatId} AS BIGINT) AND "createdAt" > ${databaseNow(-GROUP_WINDOW_MS)}
    ORDER BY "createdAt" DESC LIMIT 20`;
  const now = Date.now();
  chatScheduleOf(chatId).replace(
    chatKey,
    rows.map((row) => now - Number(row.agoMs)),
  );
  chatScheduleReadFor.set(chatKey, laneKey);
}

/** Books the bot's next send slot in its shared row; returns the milliseconds until it. */
async function bookSharedBotSlot(botId: bigint): Promise<number> {
  const interval = Prisma.sql`(CAST(${SHARED_BOT_INTERVAL_MS} AS DOUBLE PRECISION) * INTERVAL '1 millisecond')`;
  const now = databaseNow();
  const rows = await db().$queryRaw<{ waitMs: number }[]>`
    INSERT INTO "_leadgram_bot_pace" ("botId", "freeAt") VALUES (CAST(${botId} AS BIGINT), ${now} + ${interval})
    ON CONFLICT ("botId") DO UPDATE SET "freeAt" = GREATEST("_leadgram_bot_pace"."freeAt", ${now}) + ${interval}
    RETURNING CAST(EXTRACT(EPOCH FROM ("freeAt" - ${interval} - ${now})) * 1000 AS DOUBLE PRECISION) AS "waitMs"`;
  return Math.max(0, Number(rows[0]?.waitMs ?? 0));
}

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

function pruneNow(now: number): void {
  if (now - lastPrune <= 60_000) return;
  for (const schedule of [perBot, perPrivateChat, perGroupChat]) schedule.prune(now);
  // Memory follows active chats: a chat still active reads its schedule again, once.
  chatScheduleReadFor.clear();
  lastPrune = now;
}

/**
 * Resolves when one more message may go from this bot to this chat, and books that slot.
 * `lane`: the lane that sends to the chat.
 */
export async function waitForSendSlot(botId: bigint, chatId: bigint, lane: LaneFence): Promise<void> {
  const chatSchedule = chatScheduleOf(chatId);
  const chatKey = `${botId}:${chatId}`;
  const botKey = String(botId);
  pruneNow(Date.now());
  if (!sharedPacing()) {
    const now = Date.now();
    const at = perBot.earliest(botKey, chatSchedule.earliest(chatKey, now));
    chatSchedule.record(chatKey, at);
    perBot.record(botKey, at);
    return sleep(at - now);
  }
  // The chat's slot first, then the bot's: booking the bot's slot ahead of a chat that must
  // wait (a group's minute) would hold up the bot's other chats.
  await adoptChatSchedule(botId, chatId, lane);
  await sleep(chatSchedule.earliest(chatKey, Date.now()) - Date.now());
  await sleep(await bookSharedBotSlot(botId));
  // Only this lane sends to the chat, so it books the slot as it is taken.
  chatSchedule.record(chatKey, Date.now());
}

/** Milliseconds until one more message may go from this bot to this chat (0: now), without booking it. */
export async function sendSlotDelay(botId: bigint, chatId: bigint, lane: LaneFence): Promise<number> {
  await adoptChatSchedule(botId, chatId, lane);
  const now = Date.now();
  const chatAt = chatScheduleOf(chatId).earliest(`${botId}:${chatId}`, now);
  const at = sharedPacing() ? chatAt : perBot.earliest(String(botId), chatAt);
  return Math.max(0, at - now);
}
