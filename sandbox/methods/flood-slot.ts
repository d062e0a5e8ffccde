import { tooManyRequests } from "../bot-api-error";
import type { SandboxState } from "../state";

/** Takes a slot from the chat's and the bot's flood limits (sends and edits alike) or answers 429. */
export function takeFloodSlot(state: SandboxState, botId: number, chatId: number): void {
  const flood = state.flood.trySend(botId, chatId);
  if (!flood.ok) {
    state.stats.rate_limited += 1;
    throw tooManyRequests(flood.retryAfter);
  }
}
