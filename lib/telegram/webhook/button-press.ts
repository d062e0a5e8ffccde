import "server-only";
import type { Lead, TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { editMessagesAfterChange, requestEdits } from "@/lib/leads/delivery/edit-writes";
import { latestStateChange } from "@/lib/leads/delivery/notification-messages";
import { changeLeadStateWithin } from "@/lib/leads/state/change-lead-state";
import type { Tx } from "@/lib/leads/state/lead-actor";
import { leadStateSchema, type LeadState } from "@/lib/schemas/leads";
import { decodeLeadButton } from "../lead-buttons/callback-data";
import { actorName, STATE_LABELS, statusLine } from "../lead-buttons/status-line";
import { memberForTelegramUser, onlyMembersMayPress } from "../members/member-for-telegram-user";
import type { CallbackQuery } from "./update-schema";

/** What the presser is told (answerCallbackQuery, at most 200 characters), and whose lane has edits to send. */
export type PressOutcome = { toast: string; tenantWithEdits: string | null };

const PRESS_TOASTS = {
  notFound: "Заявка не найдена",
  membersOnly: "Кнопки могут нажимать только участники сайта, связавшие Telegram в профиле Leadgram",
  changed: {
    new: "↩️ Заявка снова новая",
    in_progress: "🙋 Заявка ваша",
    done: "✅ Заявка закрыта",
    spam: "🚫 Заявка отмечена как спам",
  } satisfies Record<LeadState, string>,
} as const;

const refused = (toast: string): PressOutcome => ({ toast, tenantWithEdits: null });

/** Where the lead is now, in words, for a press that did not change it. */
async function currentStateToast(tx: Tx, lead: Lead, reason: "unchanged" | "already_taken" | "state_changed") {
  const state = leadStateSchema.parse(lead.state);
  if (reason === "already_taken" && lead.takenByName !== null)
    return `Заявка уже в работе: ${actorName({ name: lead.takenByName, telegramUsername: lead.takenByTelegramUsername })}`;
  if (reason === "unchanged" && state === "in_progress") return "Заявка уже у вас в работе";
  const line = statusLine(state, await latestStateChange(tx, lead), lead.createdAt) ?? STATE_LABELS.new;
  return `Статус заявки уже изменён — ${line}`;
}

/**
 * A press of a lead button under one of the bot's notifications, applied in the update's
 * transaction. The data must be this bot's (callback-data.ts) and name a lead of this
 * integration's site; the change goes through changeLeadStateWithin as the Telegram user
 * who pressed, only from the state the keyboard showed, and asks for the edits of every
 * message of the lead. A press that changes nothing (someone was first, or the lead moved
 * on) is told where the lead is, and its messages are redrawn in case one showed an older
 * state.
 */
export async function applyButtonPress(
  tx: Tx,
  integration: TelegramIntegration,
  query: CallbackQuery,
): Promise<PressOutcome> {
  const action = decodeLeadButton(integration.webhookSecret, query.data ?? "");
  if (!action) return refused(PRESS_TOASTS.notFound);
  const tenantId = integration.tenantId;
  const telegramUserId = BigInt(query.from.id);
  const userId = (await memberForTelegramUser(tenantId, telegramUserId, tx))?.userId ?? null;
  if (userId === null && (await onlyMembersMayPress(tenantId, tx))) return refused(PRESS_TOASTS.membersOnly);

  const result = await changeLeadStateWithin(tx, {
    tenantId,
    leadId: action.leadId,
    to: action.to,
    expectedFrom: action.from,
    actor: {
      source: "telegram",
      telegramUser: {
        id: telegramUserId,
        firstName: query.from.first_name,
        lastName: query.from.last_name,
        username: query.from.username,
      },
      ...(userId === null ? {} : { userId }),
    },
    onChanged: editMessagesAfterChange,
  });
  if (result.changed) return { toast: PRESS_TOASTS.changed[action.to], tenantWithEdits: tenantId };
  if (result.reason === "not_found") return refused(PRESS_TOASTS.notFound);
  await requestEdits(tx, result.lead.id, result.lead.stateVersion, { refresh: true });
  return { toast: await currentStateToast(tx, result.lead, result.reason), tenantWithEdits: tenantId };
}
