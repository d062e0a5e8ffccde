import { DELIVERY_REASONS } from "@/lib/schemas/leads";
import { TelegramRefusal } from "@/lib/telegram/bot-api";

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
/** After this long, a lead that Telegram never took is marked failed; it stays in the inbox. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

export type FailureDecision =
  | { kind: "retry"; delayMs: number; reason: string }
  | { kind: "migrate"; chatId: bigint; reason: string }
  | { kind: "fail"; reason: string };

/** Exponential backoff with "full jitter": spreads retries of many leads over the window. */
export function backoffDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What to do after a failed sendMessage. Flood control waits exactly as long as Telegram
 * asks; Telegram's own errors and the network are retried with backoff; a refusal that
 * will not change by waiting (blocked, chat not found, revoked token) is final.
 */
export function decideAfterFailure(error: unknown, attempts: number, random: () => number = Math.random): FailureDecision {
  if (error instanceof TelegramRefusal) {
    if (error.migrateToChatId !== undefined) return { kind: "migrate", chatId: BigInt(error.migrateToChatId), reason: error.description };
    if (error.errorCode === 429) return { kind: "retry", delayMs: (error.retryAfterSeconds ?? 1) * 1000, reason: error.description };
    if (error.isTransient) return { kind: "retry", delayMs: backoffDelayMs(attempts, random), reason: error.description };
    return { kind: "fail", reason: error.description };
  }
  return { kind: "retry", delayMs: backoffDelayMs(attempts, random), reason: DELIVERY_REASONS.telegramUnavailable };
}
