import "server-only";
import { RateLimiterMemory, RateLimiterQueue } from "rate-limiter-flexible";

/**
 * Telegram's flood limits, as queues that hand out send slots in order: about 30 messages
 * a second per bot, 1 a second per private chat, 20 a minute per group. Waiting here
 * instead of meeting 429s keeps a burst of leads in order and on time. In memory, per
 * process: one process sends for a given tenant at a time (see dispatcher.ts).
 */
const perBot = new RateLimiterQueue(new RateLimiterMemory({ keyPrefix: "tg-bot", points: 30, duration: 1 }));
const perPrivateChat = new RateLimiterQueue(new RateLimiterMemory({ keyPrefix: "tg-chat", points: 1, duration: 1 }));
const perGroupChat = new RateLimiterQueue(new RateLimiterMemory({ keyPrefix: "tg-group", points: 20, duration: 60 }));

/** Resolves when one more message may go from this bot to this chat. */
export async function waitForSendSlot(botId: bigint, chatId: bigint): Promise<void> {
  // Group and supergroup ids are negative; users' are positive.
  const chatQueue = chatId < 0n ? perGroupChat : perPrivateChat;
  await chatQueue.removeTokens(1, `${botId}:${chatId}`);
  await perBot.removeTokens(1, String(botId));
}
