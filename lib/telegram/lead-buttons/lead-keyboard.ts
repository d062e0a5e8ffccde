import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { LeadState } from "@/lib/schemas/leads";
import { encodeLeadButton } from "./callback-data";

/**
 * The inline keyboard under a lead's notification, drawn for the lead's state: the moves
 * that make sense from it, and copy buttons for the phone and the email while the lead is
 * being worked (new or in progress).
 */

export type KeyboardLead = { id: string; state: LeadState; phone: string | null; email: string | null };

const BUTTONS = {
  take: { text: "🙋 Беру", to: "in_progress" },
  done: { text: "✅ Готово", to: "done" },
  spam: { text: "🚫 Спам", to: "spam" },
  back: { text: "↩️ Вернуть", to: "new" },
} as const satisfies Record<string, { text: string; to: LeadState }>;

const MOVES: Record<LeadState, (keyof typeof BUTTONS)[]> = {
  new: ["take", "done", "spam"],
  in_progress: ["done", "back"],
  done: ["back"],
  spam: ["back"],
};

/** Telegram's limits for a copy_text button's text. */
const COPY_TEXT_MAX = 256;
/** The button shows the value itself, cut to what fits a phone's screen. */
const COPY_LABEL_MAX = 32;

function copyButton(value: string | null): InlineKeyboardButton | null {
  const text = value?.trim() ?? "";
  if (text === "" || text.length > COPY_TEXT_MAX) return null;
  const characters = [...text];
  const label = characters.length <= COPY_LABEL_MAX ? text : `${characters.slice(0, COPY_LABEL_MAX - 1).join("")}…`;
  return { text: `📋 ${label}`, copy_text: { text } };
}

/** `key` signs the callback data: the integration's webhook secret (callback-data.ts). */
export function leadKeyboard(lead: KeyboardLead, key: string): InlineKeyboardMarkup {
  const moves = MOVES[lead.state].map((move): InlineKeyboardButton => {
    const { text, to } = BUTTONS[move];
    return { text, callback_data: encodeLeadButton(key, { to, from: lead.state, leadId: lead.id }) };
  });
  const keyboard: InlineKeyboardButton[][] = [moves];
  if (lead.state === "new" || lead.state === "in_progress") {
    const copies = [copyButton(lead.phone), copyButton(lead.email)].filter((button) => button !== null);
    if (copies.length > 0) keyboard.push(copies);
  }
  return { inline_keyboard: keyboard };
}
