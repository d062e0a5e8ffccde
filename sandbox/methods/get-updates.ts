import { BotApiError } from "../bot-api-error";
import { readAllowedUpdates } from "../allowed-updates";
import { applyOffset, updatesFrom } from "../update-queue";
import type { MethodContext, MethodResult } from "./method-context";

/** telegram-bot-api clamps timeout to 50 s and limit to 1-100. */
const LONG_POLL_MAX_TIMEOUT_S = 50;
const MAX_LIMIT = 100;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * getUpdates as telegram-bot-api serves it: refused while a webhook is set; the offset confirms
 * updates; with nothing to return and a timeout, the request is held (replacing an earlier held
 * one, which gets a 409) until an update is queued or the timeout passes.
 */
export async function getUpdates({ state, bot, params, signal }: MethodContext): Promise<MethodResult> {
  if (bot.webhook !== undefined) {
    throw new BotApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const offset = params.integer("offset", 0, INT32_MIN, INT32_MAX);
  const limit = params.integer("limit", MAX_LIMIT, 1, MAX_LIMIT);
  const timeoutS = params.integer("timeout", 0, 0, LONG_POLL_MAX_TIMEOUT_S);
  bot.allowedUpdates = readAllowedUpdates(params, bot.allowedUpdates);

  const from = applyOffset(bot, offset);
  const updates = updatesFrom(bot, from, limit);
  if (updates.length > 0 || timeoutS === 0) {
    return { result: updates };
  }
  await state.longPolls.hold(bot.id, timeoutS * 1000, signal);
  return { result: updatesFrom(bot, from, limit) };
}
