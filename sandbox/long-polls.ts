import { BotApiError } from "./bot-api-error";

/**
 * getUpdates requests held open until an update arrives, one per bot as in telegram-bot-api:
 * a newer long poll ends the held one with a 409, and so does setting a webhook.
 */

/** How a held long poll ended: with news to collect, or with nothing (timeout, client gone, shutdown). */
export type HoldOutcome = "woken" | "expired";

interface HeldPoll {
  settle(outcome: HoldOutcome | BotApiError): void;
}

const conflict = (message: string): BotApiError => new BotApiError(409, `Conflict: ${message}`);

export const TERMINATED_BY_OTHER_GET_UPDATES =
  "terminated by other getUpdates request; make sure that only one bot instance is running";
export const TERMINATED_BY_SET_WEBHOOK = "terminated by setWebhook request";

export class LongPolls {
  private readonly held = new Map<number, HeldPoll>();

  /**
   * Holds the bot's getUpdates for up to `timeoutMs`. Resolves "woken" when an update is
   * queued, "expired" on timeout or when `signal` aborts (client gone, sandbox closing);
   * rejects with a 409 BotApiError when another getUpdates or a setWebhook ends it.
   */
  hold(botId: number, timeoutMs: number, signal: AbortSignal): Promise<HoldOutcome> {
    this.terminate(botId, TERMINATED_BY_OTHER_GET_UPDATES);
    return new Promise((resolve, reject) => {
      const poll: HeldPoll = {
        settle: (outcome) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          if (this.held.get(botId) === poll) {
            this.held.delete(botId);
          }
          if (outcome instanceof BotApiError) {
            reject(outcome);
          } else {
            resolve(outcome);
          }
        },
      };
      const onAbort = () => poll.settle("expired");
      const timer = setTimeout(() => poll.settle("expired"), timeoutMs);
      this.held.set(botId, poll);
      if (signal.aborted) {
        onAbort();
      } else {
        signal.addEventListener("abort", onAbort);
      }
    });
  }

  /** An update was queued for the bot: its held long poll answers now. */
  wake(botId: number): void {
    this.held.get(botId)?.settle("woken");
  }

  /** Ends the bot's held long poll with `409 Conflict: <message>`. */
  terminate(botId: number, message: string): void {
    this.held.get(botId)?.settle(conflict(message));
  }

  isHolding(botId: number): boolean {
    return this.held.has(botId);
  }

  /** Answers every held long poll (empty), e.g. when the sandbox forgets its bots. */
  releaseAll(): void {
    for (const poll of [...this.held.values()]) {
      poll.settle("expired");
    }
  }
}
