import "server-only";
import type { Api } from "grammy";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { TelegramRefusal, telegramFor } from "@/lib/telegram/bot-api";
import { deliveryReasonCode, editRefusal } from "@/lib/telegram/telegram-failure-reason";
import { BotTokenUnreadable } from "@/lib/telegram/token-vault";
import { LEADGRAM_REASONS } from "./delivery-writes";
import { handBackEdit, recordEditOutcome, type EditClaim, type EditOutcome } from "./edit-writes";
import { latestStateChange, notificationMessages } from "./notification-messages";
import { sendSlotDelay, waitForSendSlot } from "./pacing";
import { decideAfterFailure, GIVE_UP_AFTER_MS } from "./retry-policy";

/**
 * What became of the edit: see EditOutcome; "handed-back" at a shutdown or when the chat has
 * no send slot soon, "claim-lost" when another process took it over.
 */
export type EditResult = EditOutcome["kind"] | "handed-back" | "claim-lost";

/**
 * An edit waits at most this long for a send slot in its chat; a chat busier than that (a
 * group at its 20 messages a minute) gets its new leads first, and the edit comes back when
 * the chat has room, without counting as an attempt.
 */
const EDIT_SLOT_WAIT_MS = 1_000;

async function record(claim: EditClaim, outcome: EditOutcome): Promise<EditResult> {
  if (await recordEditOutcome(claim, outcome)) return outcome.kind;
  log.warn({ message: claim.messageRowId }, "edit claim taken over meanwhile: this sender stops");
  return "claim-lost";
}

/**
 * What a failed edit means: "not modified" is success; a deleted message, or one Telegram
 * will not let the bot edit, is gone for good; the rest as a failed send (retry-policy.ts):
 * flood control waits Telegram's retry_after, its 5xx and the network are retried with
 * backoff until 24 hours after the edit was asked for, other refusals fail.
 */
function outcomeOfFailure(claim: EditClaim, error: unknown, version: number): EditOutcome {
  const refusal = editRefusal(error);
  if (refusal === "not_modified") return { kind: "shown", version };
  const decision = decideAfterFailure(error, claim.attempts + 1);
  if (refusal === "message_gone") return { kind: "gone", reason: decision.reason, code: decision.code };
  if (decision.kind !== "retry") return { kind: "failed", reason: decision.reason, code: decision.code };
  if (claim.queuedForMs > GIVE_UP_AFTER_MS)
    return { kind: "failed", reason: `Gave up after 24 hours: ${decision.reason}`, code: "gave_up" };
  return { kind: "retrying", retryInMs: decision.delayMs, reason: decision.reason, code: decision.code };
}

/**
 * Sends one claimed edit: the message with the buttons redrawn for the lead as it is now
 * (so it shows the latest of any changes made since the edit was asked for), paced as a
 * send to that chat. Only the bot that sent a message can edit it: after the site switched
 * bots, the old bot's messages are left as they are.
 */
export async function editLeadMessage(claim: EditClaim, stopping: () => boolean): Promise<EditResult> {
  const integration = await db().telegramIntegration.findUnique({ where: { tenantId: claim.tenantId } });
  if (!integration?.isActive)
    return record(claim, { kind: "failed", reason: LEADGRAM_REASONS.no_integration, code: "no_integration" });
  if (integration.botId !== claim.botId)
    return record(claim, { kind: "gone", reason: "Sent by a bot no longer connected", code: "telegram_error" });
  const lead = await db().lead.findUnique({ where: { id: claim.leadId } });
  if (!lead) return record(claim, { kind: "gone", reason: "Lead deleted", code: "telegram_error" });

  let telegram: Api;
  try {
    telegram = telegramFor(integration);
  } catch (error) {
    if (error instanceof BotTokenUnreadable)
      return record(claim, { kind: "failed", reason: error.message, code: deliveryReasonCode(error) });
    throw error;
  }
  const { texts, keyboard } = notificationMessages(
    lead,
    await latestStateChange(db(), lead),
    integration.webhookSecret,
  );
  const text = texts[claim.part - 1] ?? texts.at(-1) ?? "";

  const slotDelayMs = await sendSlotDelay(integration.botId, claim.chatId, claim.lane);
  if (slotDelayMs > EDIT_SLOT_WAIT_MS) return (await handBackEdit(claim, slotDelayMs)) ? "handed-back" : "claim-lost";
  await waitForSendSlot(integration.botId, claim.chatId, claim.lane);
  if (stopping()) return (await handBackEdit(claim)) ? "handed-back" : "claim-lost";
  try {
    await telegram.editMessageText(Number(claim.chatId), Number(claim.messageId), text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: keyboard,
    });
  } catch (error) {
    const outcome = outcomeOfFailure(claim, error, lead.stateVersion);
    if (outcome.kind !== "shown")
      log.warn(
        {
          message: claim.messageRowId,
          lead: lead.id,
          err: error instanceof TelegramRefusal ? error.description : String(error),
        },
        "lead message not edited",
      );
    return record(claim, outcome);
  }
  return record(claim, { kind: "shown", version: lead.stateVersion });
}
