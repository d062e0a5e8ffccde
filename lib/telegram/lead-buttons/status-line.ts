import type { LeadState } from "@/lib/schemas/leads";

/**
 * The line under a notification that says where the lead is: `🙋 В работе: Иван Петров
 * (@ivan) · 14:05 МСК`. Plain text (the caller escapes it). Leadgram has no time zone per
 * site and its notifications are written in Russian, so times are Moscow time, said so;
 * a change on another day than the lead's (the day Telegram shows on the message) carries
 * its date. The line depends only on the stored change, never on the clock at rendering:
 * the same state renders the same text, so an edit repeated is "not modified".
 */

/** Who made the change the line reports, and when. */
export type StatusChange = { name: string; telegramUsername: string | null; at: Date };

export const STATE_LABELS = {
  new: "🆕 Новая",
  in_progress: "🙋 В работе",
  done: "✅ Готово",
  spam: "🚫 Спам",
} as const satisfies Record<LeadState, string>;

const NAME_LIMIT = 64;
const USERNAME_LIMIT = 32;
/** What a status line (with the blank line before it) can take of a message, at most. */
export const STATUS_LINE_RESERVE = 160;

const moscowDay = new Intl.DateTimeFormat("ru-RU", {
  timeZone: "Europe/Moscow",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const moscowTime = new Intl.DateTimeFormat("ru-RU", { timeZone: "Europe/Moscow", hour: "2-digit", minute: "2-digit" });

function shorten(text: string, limit: number): string {
  const characters = [...text];
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join("")}…`;
}

/** `14:05 МСК`, or `01.12.2026, 14:05 МСК` when the change was not on the lead's day. */
function moscowTimeOf(at: Date, leadCreatedAt: Date): string {
  const day = moscowDay.format(at);
  const time = moscowTime.format(at);
  return day === moscowDay.format(leadCreatedAt) ? `${time} МСК` : `${day}, ${time} МСК`;
}

/** Who, as the line names them: `Иван Петров (@ivan)`. */
export function actorName(change: Pick<StatusChange, "name" | "telegramUsername">): string {
  const name = shorten(change.name.trim() || "—", NAME_LIMIT);
  return change.telegramUsername ? `${name} (@${shorten(change.telegramUsername, USERNAME_LIMIT)})` : name;
}

/** The status line of a lead in `state` after `change`; null for a new lead (it has none). */
export function statusLine(state: LeadState, change: StatusChange | null, leadCreatedAt: Date): string | null {
  if (state === "new") return null;
  if (!change) return STATE_LABELS[state];
  return `${STATE_LABELS[state]}: ${actorName(change)} · ${moscowTimeOf(change.at, leadCreatedAt)}`;
}
