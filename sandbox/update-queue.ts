import type { Update } from "grammy/types";
import { isUpdateTypeAllowed } from "./allowed-updates";
import type { BotRecord, SandboxState } from "./state";
import { updateTypeOf } from "./updates";

/**
 * The bot's queue of unconfirmed updates, shared by webhook delivery and getUpdates like
 * telegram-bot-api's TQueue. Telegram drops updates nobody confirmed after 24 hours; the
 * sandbox keeps them until they are confirmed or dropped.
 */

/** telegram-bot-api ignores an offset more than this far past the queue's tail and serves from the head. */
const FUTURE_OFFSET_SLACK = 10;

/**
 * Queues an update unless allowed_updates excludes its type (Telegram filters when the update
 * is created, for webhooks and getUpdates alike). Wakes a held getUpdates. Returns false when
 * the update was filtered out.
 */
export function enqueueUpdate(state: SandboxState, bot: BotRecord, update: Update): boolean {
  if (!isUpdateTypeAllowed(bot.allowedUpdates, updateTypeOf(update))) {
    return false;
  }
  keepPending(bot, update);
  state.longPolls.wake(bot.id);
  return true;
}

/** Keeps an update pending, in update_id order, without duplicates. */
function keepPending(bot: BotRecord, update: Update): void {
  if (bot.pendingUpdates.some((pending) => pending.update_id === update.update_id)) {
    return;
  }
  const index = bot.pendingUpdates.findIndex((pending) => pending.update_id > update.update_id);
  bot.pendingUpdates.splice(index === -1 ? bot.pendingUpdates.length : index, 0, update);
}

export function confirmUpdate(bot: BotRecord, updateId: number): void {
  bot.pendingUpdates = bot.pendingUpdates.filter((pending) => pending.update_id !== updateId);
}

export function dropPendingUpdates(bot: BotRecord): void {
  bot.pendingUpdates = [];
}

/**
 * Applies getUpdates' offset the way telegram-bot-api does and returns the update_id to read
 * from: a negative offset forgets all but the last -offset updates; a positive one confirms
 * (forgets) every update before it, unless it lies in the future, which serves from the head.
 */
export function applyOffset(bot: BotRecord, offset: number): number {
  if (offset < 0) {
    bot.pendingUpdates = bot.pendingUpdates.slice(offset);
  }
  const head = bot.pendingUpdates[0]?.update_id ?? bot.nextUpdateId;
  if (offset <= 0 || offset > bot.nextUpdateId + FUTURE_OFFSET_SLACK) {
    return head;
  }
  bot.pendingUpdates = bot.pendingUpdates.filter((pending) => pending.update_id >= offset);
  return offset;
}

export function updatesFrom(bot: BotRecord, fromUpdateId: number, limit: number): Update[] {
  return bot.pendingUpdates.filter((pending) => pending.update_id >= fromUpdateId).slice(0, limit);
}
