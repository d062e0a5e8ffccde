import "server-only";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Lead } from "@/lib/db/generated/sqlite/client";
import { leadStateSchema } from "@/lib/schemas/leads";
import type { Tx } from "@/lib/leads/state/lead-actor";
import { leadKeyboard } from "@/lib/telegram/lead-buttons/lead-keyboard";
import { STATUS_LINE_RESERVE, statusLine, type StatusChange } from "@/lib/telegram/lead-buttons/status-line";
import { escapeTelegramHtml, formatLeadNotification, TELEGRAM_TEXT_LIMIT } from "../format-notification";
import { leadFields } from "../lead-fields";

/**
 * A lead's notification as Telegram shows it in the lead's current state: the parts of its
 * text (the last one ending with the status line) and the keyboard under the last part.
 * Every part leaves room for the status line, so the parts are the same whatever the
 * state: an edit rewrites the last part in place.
 */
export type NotificationMessages = { texts: string[]; keyboard: InlineKeyboardMarkup };

/** `key` signs the buttons' data: the integration's webhook secret. */
export function notificationMessages(lead: Lead, change: StatusChange | null, key: string): NotificationMessages {
  const texts = formatLeadNotification(leadFields(lead), { limit: TELEGRAM_TEXT_LIMIT - STATUS_LINE_RESERVE });
  const state = leadStateSchema.parse(lead.state);
  const line = statusLine(state, change, lead.createdAt);
  const last = texts.length - 1;
  if (line !== null) texts[last] = `${texts[last] ?? ""}\n\n${escapeTelegramHtml(line)}`;
  return { texts, keyboard: leadKeyboard({ id: lead.id, state, phone: lead.phone, email: lead.email }, key) };
}

/** The change that brought the lead to its current state, for its status line (null while it never changed). */
export async function latestStateChange(client: Pick<Tx, "leadStateChange">, lead: Lead): Promise<StatusChange | null> {
  if (lead.stateVersion === 0) return null;
  const change = await client.leadStateChange.findUnique({
    where: { leadId_version: { leadId: lead.id, version: lead.stateVersion } },
  });
  return change && { name: change.actorName, telegramUsername: change.actorTelegramUsername, at: change.at };
}
