import "server-only";
import { db } from "@/lib/db/client";
import type { Delivery, Lead, TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import { DELIVERY_REASONS } from "@/lib/schemas/leads";
import { botApi, callTelegram, TelegramRefusal } from "@/lib/telegram/bot-api";
import { BotTokenUnreadable, decryptBotToken } from "@/lib/telegram/token-vault";
import { formatLeadNotification } from "../format-notification";
import { leadFields } from "../lead-fields";
import { recordAttempt, type Outcome } from "./delivery-writes";
import { waitForSendSlot } from "./pacing";
import { decideAfterFailure, GIVE_UP_AFTER_MS } from "./retry-policy";

/** What became of the delivery; "handed-back" when a shutdown returned it to the queue. */
export type DeliveryResult = Outcome["status"] | "handed-back";

async function record(delivery: Delivery, outcome: Outcome, progress: { partsSent?: number; chatId?: bigint } = {}): Promise<DeliveryResult> {
  await recordAttempt(delivery.id, outcome, progress);
  return outcome.status;
}

/** Reacts to a failed send: wait and retry, follow a migrated group, or stop for good. */
async function recordFailure(delivery: Delivery, integration: TelegramIntegration, error: unknown, partsSent: number): Promise<DeliveryResult> {
  const decision = decideAfterFailure(error, delivery.attempts + 1);
  const errorCode = error instanceof TelegramRefusal ? error.errorCode : undefined;
  if (decision.kind === "migrate") {
    // The owner's group became a supergroup: Telegram names the new chat; send there.
    await db().telegramIntegration.updateMany({ where: { id: integration.id, ownerChatId: integration.ownerChatId }, data: { ownerChatId: decision.chatId } });
    return record(delivery, { status: "retrying", reason: decision.reason, errorCode, nextAttemptAt: new Date() }, { partsSent });
  }
  if (decision.kind === "fail") return record(delivery, { status: "failed", reason: decision.reason, errorCode }, { partsSent });
  if (Date.now() - delivery.createdAt.getTime() > GIVE_UP_AFTER_MS) {
    return record(delivery, { status: "failed", reason: `Gave up after 24 hours: ${decision.reason}`, errorCode }, { partsSent });
  }
  return record(delivery, { status: "retrying", reason: decision.reason, errorCode, nextAttemptAt: new Date(Date.now() + decision.delayMs) }, { partsSent });
}

/**
 * Sends one claimed delivery: the lead's notification, in up to three parts, each part
 * recorded as it is accepted so a retry after a crash or a failure resumes with the next
 * part instead of repeating what the owner already has. `stopping` is checked before each
 * send so a shutdown never abandons a send half-way.
 */
export async function deliverLead(delivery: Delivery & { lead: Lead }, stopping: () => boolean): Promise<DeliveryResult> {
  const integration = await db().telegramIntegration.findUnique({ where: { tenantId: delivery.tenantId } });
  if (!integration?.isActive) return record(delivery, { status: "skipped", reason: DELIVERY_REASONS.noIntegration });
  const chatId = integration.ownerChatId;
  if (chatId === null) return record(delivery, { status: "skipped", reason: DELIVERY_REASONS.noChat });

  let token: string;
  try {
    token = decryptBotToken(integration.botTokenEncrypted);
  } catch (error) {
    if (error instanceof BotTokenUnreadable) return record(delivery, { status: "failed", reason: error.message });
    throw error;
  }

  const parts = formatLeadNotification(leadFields(delivery.lead));
  let partsSent = delivery.partsSent;
  for (; partsSent < parts.length; partsSent += 1) {
    const text = parts[partsSent] ?? "";
    await waitForSendSlot(integration.botId, chatId);
    if (stopping()) {
      // The server is shutting down: hand the rest back to the queue rather than start a send it may not finish.
      await db().delivery.update({ where: { id: delivery.id }, data: { status: "retrying", leaseUntil: null, partsSent } });
      return "handed-back";
    }
    try {
      await callTelegram("sendMessage", () =>
        botApi(token).sendMessage(Number(chatId), text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } }),
      );
    } catch (error) {
      log.warn({ delivery: delivery.id, err: error instanceof Error ? error.message : String(error) }, "lead notification not sent");
      return recordFailure(delivery, integration, error, partsSent);
    }
    if (partsSent + 1 < parts.length) await db().delivery.update({ where: { id: delivery.id }, data: { partsSent: partsSent + 1 } });
  }
  return record(delivery, { status: "sent", reason: null }, { partsSent, chatId });
}
