import type { LeadFields } from "@/lib/schemas/leads";

/**
 * The Telegram text of a lead notification, in the spec's format ("Формат уведомлений"),
 * meant for `parse_mode: "HTML"`. Pure: no I/O, safe for the UI preview.
 *
 * The text is built as plain text first and HTML-escaped last, so the only HTML in the
 * output is escaping (`&amp;`, `&lt;`, `&gt;`), and splitting happens on the plain text:
 * a split can never fall inside an entity, and a part's visible length (what Telegram
 * counts after parsing) is simply the plain chunk's length.
 */

/** Telegram's limit for one message, in UTF-16 code units after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** A notification is sent as at most this many messages; the rest is cut with a marker. */
export const MAX_PARTS = 3;

export const NOTIFICATION_TITLE = "📝 Новая заявка с сайта";
export const NOTIFICATION_SEPARATOR = "━".repeat(22);
export const MESSAGE_LABEL = "💬 Сообщение:";
export const EXTRA_LABEL = "📎 Дополнительно:";
/** Stands in for the body of a lead with no field filled in, so the message is never bare. */
export const EMPTY_LEAD_LINE = "ℹ️ Поля формы не заполнены";
/** Ends the last part, on its own line after a blank one, when a lead does not fit. */
export const TRUNCATION_MARKER = "✂️ Текст обрезан: полная заявка — в Leadgram.";

/** The first line of every part after the first. */
export function continuationHeader(part: number, total: number): string {
  return `📝 Заявка (продолжение ${part}/${total})`;
}

/** How far back from the limit a long line may be broken at a space (or a line at a newline). */
const BREAK_SEARCH_WINDOW = 500;

const CONTACT_FIELDS = [
  ["name", "👤 Имя"],
  ["email", "📧 Email"],
  ["phone", "📞 Телефон"],
  ["company", "🏢 Компания"],
] as const;
const FOOTER_FIELDS = [
  ["utm_source", "utm_source"],
  ["page", "страница"],
  ["device", "устройство"],
] as const;
const EXTRA_KNOWN_FIELDS = ["utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer"] as const;

/** Escapes text for Telegram's HTML parse mode (outside attributes quotes need nothing). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/** The text Telegram shows for `html`: tags stripped, the entities it knows decoded. */
export function decodeTelegramHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, (entity: string, body: string) => {
      const named = NAMED_ENTITIES[body.toLowerCase()];
      if (named !== undefined) return named;
      const hex = body[1] === "x" || body[1] === "X";
      const codePoint = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    });
}

/** Length in UTF-16 code units of what Telegram shows for `html` (what its limit counts). */
export function visibleLength(html: string): number {
  return decodeTelegramHtml(html).length;
}

/**
 * A user-supplied value as it goes into the text: `\r\n` and `\r` become `\n`, and lone
 * surrogates (which cannot be encoded as UTF-8, so Telegram would refuse the request)
 * become U+FFFD. Everything else is kept as typed, including surrounding spaces.
 */
function normalise(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/** The whole notification as plain (unescaped) text, before any splitting. */
function renderPlain(lead: LeadFields): string {
  const sections: string[] = [];

  const contacts: string[] = [];
  for (const [field, label] of CONTACT_FIELDS) {
    const value = lead[field];
    if (present(value)) contacts.push(`${label}: ${normalise(value)}`);
  }
  if (contacts.length > 0) sections.push(contacts.join("\n"));

  if (present(lead.message)) sections.push(`${MESSAGE_LABEL}\n${normalise(lead.message)}`);

  const extras: string[] = [];
  for (const field of EXTRA_KNOWN_FIELDS) {
    const value = lead[field];
    if (present(value)) extras.push(`• ${field}: ${normalise(value)}`);
  }
  for (const [name, value] of Object.entries(lead.extra)) {
    if (present(value)) extras.push(`• ${normalise(name)}: ${normalise(value)}`);
  }
  if (extras.length > 0) sections.push(`${EXTRA_LABEL}\n${extras.join("\n")}`);

  const footer: string[] = [];
  for (const [field, label] of FOOTER_FIELDS) {
    const value = lead[field];
    if (present(value)) footer.push(`${label}: ${normalise(value)}`);
  }

  const body = sections.length > 0 ? sections.join("\n\n") : EMPTY_LEAD_LINE;
  let text = `${NOTIFICATION_TITLE}\n${NOTIFICATION_SEPARATOR}\n${body}`;
  if (footer.length > 0) text += `\n\n${NOTIFICATION_SEPARATOR}\n🔗 ${footer.join(" | ")}`;
  return text;
}

/** The whole notification as one Telegram HTML text, unsplit (e.g. for a preview). */
export function renderLeadNotification(lead: LeadFields): string {
  return escapeTelegramHtml(renderPlain(lead));
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Cuts `rest` (longer than `budget`) into a chunk of at most `budget` code units and the
 * remainder. At a newline when the line crossing the limit would fit whole into the next
 * part (`nextBudget`) or the newline is near the limit; otherwise inside that line at a
 * space near the limit; otherwise hard, never between the halves of a surrogate pair.
 * The newline or space broken at is dropped.
 */
function cut(rest: string, budget: number, nextBudget: number): [string, string] {
  const newline = rest.lastIndexOf("\n", budget);
  const lineStart = newline + 1;
  const nextNewline = rest.indexOf("\n", lineStart);
  const lineLength = (nextNewline === -1 ? rest.length : nextNewline) - lineStart;
  if (
    newline > 0 &&
    rest.slice(0, newline).trim() !== "" &&
    (lineLength <= nextBudget || budget - newline <= BREAK_SEARCH_WINDOW)
  ) {
    return [rest.slice(0, newline), rest.slice(newline + 1)];
  }
  const space = rest.lastIndexOf(" ", budget);
  if (space >= Math.max(lineStart + 1, budget - BREAK_SEARCH_WINDOW)) {
    return [rest.slice(0, space), rest.slice(space + 1)];
  }
  let at = budget;
  if (isHighSurrogate(rest.charCodeAt(at - 1)) && isLowSurrogate(rest.charCodeAt(at))) at -= 1;
  return [rest.slice(0, at), rest.slice(at)];
}

interface Split {
  chunks: string[];
  /** How much of the text the chunks carry (counting the separators dropped at breaks). */
  consumed: number;
  truncated: boolean;
}

const HEADER_RESERVE = continuationHeader(MAX_PARTS, MAX_PARTS).length + 1;
const MARKER_SUFFIX = `\n\n${TRUNCATION_MARKER}`;

/**
 * Greedy split into at most MAX_PARTS chunks. With `wholeLines`, a line that fits into the
 * next part is moved there whole rather than broken; without it, every part is filled.
 */
function splitPlain(text: string, wholeLines: boolean, limit: number): Split {
  const continuationBudget = limit - HEADER_RESERVE;
  const chunks: string[] = [];
  let rest = text;
  let consumed = 0;
  while (rest !== "") {
    const budget = chunks.length === 0 ? limit : continuationBudget;
    if (rest.length <= budget) {
      chunks.push(rest);
      return { chunks, consumed: text.length, truncated: false };
    }
    const last = chunks.length === MAX_PARTS - 1;
    const [chunk, remainder] = last
      ? cut(rest, budget - MARKER_SUFFIX.length, 0)
      : cut(rest, budget, wholeLines ? continuationBudget : 0);
    chunks.push(chunk);
    consumed += rest.length - remainder.length;
    if (last) return { chunks, consumed, truncated: true };
    // Whatever is left but invisible (trailing blank lines) is not worth a message.
    rest = remainder.trim() === "" ? "" : remainder;
  }
  return { chunks, consumed: text.length, truncated: false };
}

/**
 * The Telegram messages (1 to MAX_PARTS HTML texts, to be sent in order with
 * `parse_mode: "HTML"`) announcing `lead`. Each is non-blank and at most
 * TELEGRAM_TEXT_LIMIT code units once Telegram has parsed it. A notification too long for
 * one message is split at line boundaries (a line too long for a message at a space near
 * the limit, else anywhere but inside a surrogate pair); parts after the first open with
 * continuationHeader(); if MAX_PARTS are not enough the last one ends with
 * TRUNCATION_MARKER and the rest is dropped. `limit` (at most TELEGRAM_TEXT_LIMIT) is what
 * each part may take, less when the caller adds a line of its own to the last part.
 */
export function formatLeadNotification(lead: LeadFields, { limit = TELEGRAM_TEXT_LIMIT } = {}): string[] {
  const text = renderPlain(lead);
  let split = splitPlain(text, true, limit);
  if (split.truncated) {
    // Keeping lines whole cost content: fill every part instead, if that carries more.
    const filled = splitPlain(text, false, limit);
    if (filled.consumed > split.consumed) split = filled;
  }
  const total = split.chunks.length;
  return split.chunks.map((chunk, index) => {
    let part = index === 0 ? chunk : `${continuationHeader(index + 1, total)}\n${chunk}`;
    if (split.truncated && index === total - 1) part += MARKER_SUFFIX;
    return escapeTelegramHtml(part);
  });
}
