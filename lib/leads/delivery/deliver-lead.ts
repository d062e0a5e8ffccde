import "server-only";
import { db } from "@/lib/db/client";
import type { Delivery, Lead, TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import type { Api } from "grammy";
import { TelegramRefusal, telegramFor } from "@/lib/telegram/bot-api";
import { deliveryReasonCode } from "@/lib/telegram/telegram-failure-reason";
import { BotTokenUnreadable } from "@/lib/telegram/token-vault";
import {
  handBack,
  LEADGRAM_REASONS,
  recordAttempt,
  recordPartSent,
  type ChatMigration,
  type Claim,
  type Outcome,
} from "./delivery-writes";
import { latestStateChange, notificationMessages } from "./notification-messages";
import { waitForSendSlot } from "./pacing";
import { decideAfterFailure, GIVE_UP_AFTER_MS } from "./retry-policy";

/**
 * What became of the delivery: "handed-back" when a shutdown returned it to the queue,
 * "claim-lost" when another process took it over (or a resend reset it) meanwhile.
 */
export type DeliveryResult = Outcome["status"] | "handed-back" | "claim-lost";

function claimLost(claim: Claim): DeliveryResult {
  log.warn(
    { delivery: claim.deliveryId },
    "delivery claim taken over meanwhile: this sender stops and leaves the delivery to the new claim",
  );
  return "claim-lost";
}

async function record(
  claim: Claim,
  outcome: Outcome,
  progress: Parameters<typeof recordAttempt>[2] = {},
  migration?: ChatMigration,
): Promise<DeliveryResult> {
  return (await recordAttempt(claim, outcome, progress, migration)) ? outcome.status : claimLost(claim);
}

/** Reacts to a failed send: wait and retry, follow a migrated group, or stop for good. */
async function recordFailure(
  claim: Claim,
  integration: TelegramIntegration,
  chatId: bigint,
  error: unknown,
  partsSent: number,
): Promise<DeliveryResult> {
  const decision = decideAfterFailure(error, claim.attempts + 1);
  const errorCode = error instanceof TelegramRefusal ? error.errorCode : undefined;
  if (decision.kind === "migrate") {
    // The owner's group became a supergroup: Telegram names the new chat; send there.
    const migration = { integrationId: integration.id, fromChatId: chatId, toChatId: decision.chatId };
    return record(
      claim,
      { status: "retrying", reason: decision.reason, code: decision.code, errorCode, retryInMs: 0 },
      { partsSent },
      migration,
    );
  }
  if (decision.kind === "fail")
    return record(claim, { status: "failed", reason: decision.reason, code: decision.code, errorCode }, { partsSent });
  if (claim.queuedForMs > GIVE_UP_AFTER_MS) {
    return record(
      claim,
      { status: "failed", reason: `Gave up after 24 hours: ${decision.reason}`, code: "gave_up", errorCode },
      { partsSent },
    );
  }
  return record(
    claim,
    { status: "retrying", reason: decision.reason, code: decision.code, errorCode, retryInMs: decision.delayMs },
    { partsSent },
  );
}

/**
 * Sends one claimed delivery: the lead's notification, in up to three parts, drawn for the
 * lead's state as the batch read it (the last part with the status line and the buttons),
 * each part recorded with its message as it is accepted, so a retry after a crash or a
 * failure resumes with the next part instead of repeating what the owner already has, and
 * a change of state edits every message. `stopping` (a shutdown, or the lane
 * lost) is checked before each send so a send is never abandoned half-way. Progress comes from the claim, which read it as
 * it claimed; every write names the claim and stops the sender if it is gone.
 */
export async function deliverLead(
  delivery: Delivery & { lead: Lead },
  claim: Claim,
  stopping: () => boolean,
): Promise<DeliveryResult> {
  const integration = await db().telegramIntegration.findUnique({ where: { tenantId: delivery.tenantId } });
  if (!integration?.isActive)
    return record(claim, { status: "skipped", reason: LEADGRAM_REASONS.no_integration, code: "no_integration" });
  const chatId = integration.ownerChatId;
  if (chatId === null) return record(claim, { status: "skipped", reason: LEADGRAM_REASONS.no_chat, code: "no_chat" });

  let telegram: Api;
  try {
    telegram = telegramFor(integration);
  } catch (error) {
    if (error instanceof BotTokenUnreadable)
      return record(claim, { status: "failed", reason: error.message, code: deliveryReasonCode(error) });
    throw error;
  }

  const lead = delivery.lead;
  const { texts, keyboard } = notificationMessages(
    lead,
    await latestStateChange(db(), lead),
    integration.webhookSecret,
  );
  let partsSent = claim.partsSent;
  for (; partsSent < texts.length; partsSent += 1) {
    const last = partsSent + 1 === texts.length;
    await waitForSendSlot(integration.botId, chatId, claim.lane);
    if (stopping()) {
      // The server is shutting down, or the lane was lost: hand the rest back to the queue rather than start a send it may not finish.
      return (await handBack(claim, partsSent)) ? "handed-back" : claimLost(claim);
    }
    let messageId: number;
    try {
      const sent = await telegram.sendMessage(Number(chatId), texts[partsSent] ?? "", {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(last ? { reply_markup: keyboard } : {}),
      });
      messageId = sent.message_id;
    } catch (error) {
      log.warn(
        { delivery: delivery.id, err: error instanceof Error ? error.message : String(error) },
        "lead notification not sent",
      );
      return recordFailure(claim, integration, chatId, error, partsSent);
    }
    const message = {
      tenantId: delivery.tenantId,
      leadId: lead.id,
      deliveryId: delivery.id,
      botId: integration.botId,
      chatId,
      messageId: BigInt(messageId),
      part: partsSent + 1,
      carriesKeyboard: last,
      shownVersion: lead.stateVersion,
    };
    if (last)
      return record(claim, { status: "sent", reason: null, code: null }, { partsSent: partsSent + 1, chatId, message });
    if (!(await recordPartSent(claim, partsSent + 1, message))) return claimLost(claim);
  }
  return record(claim, { status: "sent", reason: null, code: null }, { partsSent, chatId });
}
