import "server-only";
import type { Api } from "grammy";
import { z } from "zod";
import { db } from "@/lib/db/client";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import { TelegramRefusal, telegramFor } from "../bot-api";
import { ALLOWED_UPDATES, webhookPath } from "../integration/webhook-registration";
import { BotTokenUnreadable } from "../token-vault";
import { processUpdate, sendReply } from "../webhook/receive-update";
import { updateSchema } from "../webhook/update-schema";
import { advanceOffset, claimPolling, PollingLeaseLost, releasePolling, stopPollingFor } from "./polling-writes";

/** How long Telegram may hold a getUpdates open when it has nothing to give. */
export const LONG_POLL_SECONDS = 25;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/**
 * "terminated by other getUpdates request" also happens for a moment while a lease changes
 * hands (the old holder's request is still open): only a conflict that lasts stops polling.
 */
const CONFLICTS_BEFORE_STOP = 3;

const updateIdOnly = z.object({ update_id: z.number().int().nonnegative().safe() });

/** Polling this integration makes sense now: active, no webhook, and still the bot it started with. */
function stillPollable(integration: TelegramIntegration | null, botId: bigint): integration is TelegramIntegration {
  return integration !== null && integration.isActive && !integration.isWebhookActive && integration.botId === botId;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/**
 * Hears one bot by long polling while it has no webhook, on the server that holds its
 * lease. Each update goes through the webhook's own processUpdate, and the offset moves
 * in the same commit, so a crash or a restart neither loses nor repeats one. The loop reads
 * the integration again before every poll: a webhook, a deactivation, a deletion or
 * another bot ends it (the server's wake-up, `recheck`, cuts the wait short).
 */
export class BotPoller {
  private stopped = false;
  /** Ends the request or back-off in progress: `stop` for good, `recheck` to look again. */
  private wait = new AbortController();
  private backoffMs = FIRST_BACKOFF_MS;
  private conflicts = 0;
  /** Holds the lease (the server's renewals then say whether it still does). */
  hasClaimed = false;

  constructor(
    readonly integrationId: string,
    private readonly holder: string,
  ) {}

  /** Something about the integration changed: stop waiting and read it again. */
  recheck(): void {
    this.wait.abort();
  }

  /** Ends the loop (shutdown, or the lease was lost); run() then releases the lease. */
  stop(): void {
    this.stopped = true;
    this.wait.abort();
  }

  async run(): Promise<void> {
    const first = await db().telegramIntegration.findUnique({ where: { id: this.integrationId } });
    if (!first || !stillPollable(first, first.botId) || this.stopped) return;
    const claimed = await claimPolling(this.integrationId, this.holder).catch((error: unknown) => {
      // The integration was deleted between the read and the claim (the row's foreign key).
      log.warn({ err: error, integration: this.integrationId }, "could not claim polling");
      return null;
    });
    if (claimed === null) return;
    this.hasClaimed = true;
    log.info({ integration: this.integrationId }, "polling Telegram for the bot's updates (no webhook)");
    try {
      await this.pollFrom(first.botId, claimed);
    } finally {
      await releasePolling(this.integrationId, this.holder).catch((error: unknown) =>
        log.warn({ err: error, integration: this.integrationId }, "could not release the polling lease"),
      );
      log.info({ integration: this.integrationId }, "stopped polling the bot");
    }
  }

  private async pollFrom(botId: bigint, startOffset: bigint): Promise<void> {
    let offset = startOffset;
    while (!this.stopped) {
      if (this.wait.signal.aborted) this.wait = new AbortController();
      const integration = await db().telegramIntegration.findUnique({ where: { id: this.integrationId } });
      if (!stillPollable(integration, botId)) return;
      let updates: unknown[];
      try {
        updates = await this.getUpdates(integration, offset);
      } catch (error) {
        if (this.wait.signal.aborted) continue;
        if ((await this.onFailure(integration, error)) === "stop") return;
        continue;
      }
      this.backoffMs = FIRST_BACKOFF_MS;
      this.conflicts = 0;
      for (const raw of updates) {
        if (this.stopped) return;
        try {
          offset = await this.processOne(integration, raw);
        } catch (error) {
          if (error instanceof PollingLeaseLost) return;
          // The database (or a bug) failed this update: its offset did not move, so it is polled again.
          log.error({ err: error, integration: this.integrationId }, "could not process a polled update");
          await sleep(this.nextBackoff(), this.wait.signal);
          break;
        }
      }
    }
  }

  private getUpdates(integration: TelegramIntegration, offset: bigint): Promise<unknown[]> {
    const api = telegramFor(integration, { longPollSeconds: LONG_POLL_SECONDS });
    return api.getUpdates(
      { offset: Number(offset), timeout: LONG_POLL_SECONDS, allowed_updates: [...ALLOWED_UPDATES] },
      // grammY types its signal with the abort-controller shim's AbortSignal; Node's is the same at run time.
      this.wait.signal as Parameters<Api["getUpdates"]>[1],
    );
  }

  /** Commits one update with the offset after it; returns that offset. A malformed update is skipped. */
  private async processOne(integration: TelegramIntegration, raw: unknown): Promise<bigint> {
    const { update_id } = updateIdOnly.parse(raw);
    const next = BigInt(update_id) + BigInt(1);
    const parsed = updateSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn({ integration: this.integrationId, updateId: update_id }, "skipped a polled update that is not valid");
      await advanceOffset(db(), this.integrationId, this.holder, next);
      return next;
    }
    const reply = await processUpdate(integration, parsed.data, (tx) =>
      advanceOffset(tx, this.integrationId, this.holder, next),
    );
    if (reply) await sendReply(integration, reply);
    return next;
  }

  /** What a failed poll means: go on after a pause, or stop and say why. */
  private async onFailure(integration: TelegramIntegration, error: unknown): Promise<"go-on" | "stop"> {
    if (error instanceof BotTokenUnreadable) {
      await stopPollingFor(this.integrationId, this.holder, "token_unreadable", error.message);
      return "stop";
    }
    if (error instanceof TelegramRefusal) {
      if (error.errorCode === 401 || error.errorCode === 404) {
        await stopPollingFor(this.integrationId, this.holder, "token_revoked", error.description);
        log.warn({ integration: this.integrationId }, "stopped polling: Telegram does not know the bot token");
        return "stop";
      }
      if (error.errorCode === 409) return this.onConflict(integration, error);
      if (error.errorCode === 429) {
        await sleep(Math.max(1, error.retryAfterSeconds ?? 1) * 1000, this.wait.signal);
        return "go-on";
      }
    }
    log.warn(
      { integration: this.integrationId, err: error instanceof Error ? error.message : String(error) },
      "polling Telegram failed; trying again",
    );
    await sleep(this.nextBackoff(), this.wait.signal);
    return "go-on";
  }

  /**
   * A webhook is set, or someone else polls the bot. Our own webhook (registered a moment
   * ago, the database not yet saying so) ends polling quietly. Another poller may be our
   * own previous lease holder whose request is still open, so only a lasting conflict
   * counts; a foreign webhook counts at once. Either stops polling until the owner acts.
   */
  private async onConflict(integration: TelegramIntegration, refusal: TelegramRefusal): Promise<"go-on" | "stop"> {
    if (await this.ourWebhookIsSet(integration)) return "stop";
    const webhookConflict = /webhook/i.test(refusal.description);
    this.conflicts += 1;
    if (!webhookConflict && this.conflicts < CONFLICTS_BEFORE_STOP) {
      await sleep(this.nextBackoff(), this.wait.signal);
      return "go-on";
    }
    await stopPollingFor(this.integrationId, this.holder, "conflict", refusal.description);
    log.warn({ integration: this.integrationId, reason: refusal.description }, "stopped polling: conflict at Telegram");
    return "stop";
  }

  /** Telegram's webhook for the bot is this integration's own receiver; false when it cannot tell. */
  private async ourWebhookIsSet(integration: TelegramIntegration): Promise<boolean> {
    try {
      const { url } = await telegramFor(integration).getWebhookInfo();
      if (!url) return false;
      return new URL(url).pathname === webhookPath(integration);
    } catch {
      return false;
    }
  }

  private nextBackoff(): number {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    return delay;
  }
}
