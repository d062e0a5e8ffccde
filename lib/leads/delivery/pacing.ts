import "server-only";
import { SlidingWindowSchedule } from "./sliding-window-schedule";

/**
 * Telegram's flood limits: about 30 messages a second per bot, 1 a second per private
 * chat, 20 a minute per group. Waiting for a slot here instead of meeting 429s keeps a
 * burst of leads in order and on time. In memory, per process: one process sends for a
 * given tenant at a time (see dispatcher.ts).
 */
const perBot = new SlidingWindowSchedule(30, 1_000);
const perPrivateChat = new SlidingWindowSchedule(1, 1_000);
const perGroupChat = new SlidingWindowSchedule(20, 60_000);
let lastPrune = 0;

/** The earliest time one more message may go from this bot to this chat, with the schedules to book it in. */
function nextSlot(botId: bigint, chatId: bigint, now: number) {
  // Group and supergroup ids are negative; users' are positive.
  const chatSchedule = chatId < 0n ? perGroupChat : perPrivateChat;
  const chatKey = `${botId}:${chatId}`;
  const botKey = String(botId);
  const at = perBot.earliest(botKey, chatSchedule.earliest(chatKey, now));
  return {
    at,
    book: () => {
      chatSchedule.record(chatKey, at);
      perBot.record(botKey, at);
    },
  };
}

/** Resolves when one more message may go from this bot to this chat, and books that slot. */
export async function waitForSendSlot(botId: bigint, chatId: bigint): Promise<void> {
  const now = Date.now();
  if (now - lastPrune > 60_000) {
    for (const schedule of [perBot, perPrivateChat, perGroupChat]) schedule.prune(now);
    lastPrune = now;
  }
  const slot = nextSlot(botId, chatId, now);
  slot.book();
  if (slot.at > now) await new Promise((resolve) => setTimeout(resolve, slot.at - now));
}

/** Milliseconds until one more message may go from this bot to this chat (0: now), without booking it. */
export function sendSlotDelay(botId: bigint, chatId: bigint): number {
  const now = Date.now();
  return Math.max(0, nextSlot(botId, chatId, now).at - now);
}
