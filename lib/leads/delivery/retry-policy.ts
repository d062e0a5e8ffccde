import type { DeliveryReasonCode } from "@/lib/schemas/leads";
import { TelegramRefusal } from "@/lib/telegram/bot-api";
import { deliveryReasonCode } from "@/lib/telegram/telegram-failure-reason";
import { LEADGRAM_REASONS } from "./delivery-writes";

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
/** After this long, a lead that Telegram never took is marked failed; it stays in the inbox. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/** `reason` is Telegram's description (or Leadgram's when Telegram never answered); `code` classifies it. */
type Reason = { reason: string; code: DeliveryReasonCode };
export type FailureDecision = (
  { kind: "retry"; delayMs: number } | { kind: "migrate"; chatId: bigint } | { kind: "fail" }
) &
  Reason;

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
export function decideAfterFailure(
  error: unknown,
  attempts: number,
  random: () => number = Math.random,
): FailureDecision {
  const code = deliveryReasonCode(error);
  if (error instanceof TelegramRefusal) {
    const reason = { reason: error.description, code };
    if (error.migrateToChatId !== undefined)
      return { kind: "migrate", chatId: BigInt(error.migrateToChatId), ...reason };
    if (error.errorCode === 429) return { kind: "retry", delayMs: (error.retryAfterSeconds ?? 1) * 1000, ...reason };
    if (error.isTransient) return { kind: "retry", delayMs: backoffDelayMs(attempts, random), ...reason };
    return { kind: "fail", ...reason };
  }
  return {
    kind: "retry",
    delayMs: backoffDelayMs(attempts, random),
    reason: LEADGRAM_REASONS.telegram_unavailable,
    code,
  };
}
