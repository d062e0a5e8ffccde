import { describe, expect, it } from "vitest";
import { decodeLeadButton, encodeLeadButton } from "./callback-data";
import { leadKeyboard, type KeyboardLead } from "./lead-keyboard";
import { statusLine, STATUS_LINE_RESERVE } from "./status-line";

const KEY = "webhook-secret-of-the-bot";
const LEAD_ID = "3f2b8c1e-9d4a-4e5b-8f6a-1b2c3d4e5f60";
const lead = (overrides: Partial<KeyboardLead> = {}): KeyboardLead => ({
  id: LEAD_ID,
  state: "new",
  phone: "+7 999 123-45-67",
  email: "ivan@example.com",
  ...overrides,
});

type Button = { text: string; callback_data?: string; copy_text?: { text: string } };
const rows = (state: KeyboardLead["state"], overrides: Partial<KeyboardLead> = {}) =>
  leadKeyboard(lead({ state, ...overrides }), KEY).inline_keyboard as Button[][];
const texts = (keyboard: Button[][]) => keyboard.map((row) => row.map((button) => button.text));

describe("the keyboard of a notification", () => {
  it("offers take, done and spam on a new lead, with copy buttons for the phone and the email", () => {
    expect(texts(rows("new"))).toEqual([
      ["🙋 Беру", "✅ Готово", "🚫 Спам"],
      ["📋 +7 999 123-45-67", "📋 ivan@example.com"],
    ]);
    expect(rows("new")[1]).toEqual([
      { text: "📋 +7 999 123-45-67", copy_text: { text: "+7 999 123-45-67" } },
      { text: "📋 ivan@example.com", copy_text: { text: "ivan@example.com" } },
    ]);
  });

  it("offers done and back while in progress, only back once done or spam, copies only while worked", () => {
    expect(texts(rows("in_progress"))).toEqual([
      ["✅ Готово", "↩️ Вернуть"],
      ["📋 +7 999 123-45-67", "📋 ivan@example.com"],
    ]);
    expect(texts(rows("done"))).toEqual([["↩️ Вернуть"]]);
    expect(texts(rows("spam"))).toEqual([["↩️ Вернуть"]]);
  });

  it("leaves out a copy button for a missing, blank or too long value, and shortens a long label", () => {
    expect(texts(rows("new", { phone: null, email: "  " }))).toEqual([["🙋 Беру", "✅ Готово", "🚫 Спам"]]);
    const long = `${"a".repeat(240)}@example.com`;
    expect(rows("new", { phone: null, email: long })[1]).toEqual([
      { text: `📋 ${"a".repeat(31)}…`, copy_text: { text: long } },
    ]);
    expect(texts(rows("new", { phone: "1".repeat(257), email: null }))).toHaveLength(1);
  });

  it("names each button's move and the state it was drawn for, within Telegram's 64 bytes", () => {
    const moves = rows("in_progress")[0]?.map((button) => decodeLeadButton(KEY, button.callback_data ?? ""));
    expect(moves).toEqual([
      { to: "done", from: "in_progress", leadId: LEAD_ID },
      { to: "new", from: "in_progress", leadId: LEAD_ID },
    ]);
    for (const state of ["new", "in_progress", "done", "spam"] as const)
      for (const button of rows(state)[0] ?? [])
        expect(Buffer.byteLength(button.callback_data ?? "")).toBeLessThanOrEqual(64);
  });
});

describe("callback data", () => {
  const data = encodeLeadButton(KEY, { to: "in_progress", from: "new", leadId: LEAD_ID });

  it("is refused when forged, altered, signed by another bot or not ours at all", () => {
    expect(decodeLeadButton(KEY, data)).toEqual({ to: "in_progress", from: "new", leadId: LEAD_ID });
    expect(decodeLeadButton("another bot's secret", data)).toBeNull();
    const otherLead = data.replace(LEAD_ID, "00000000-0000-4000-8000-000000000000");
    expect(decodeLeadButton(KEY, otherLead)).toBeNull();
    expect(decodeLeadButton(KEY, `d${data.slice(1)}`)).toBeNull();
    for (const garbage of ["", "x", "wn:", `wn:${LEAD_ID}`, `wn:${LEAD_ID}:short`, `zz:${LEAD_ID}:AAAAAAAAAAAA`])
      expect(decodeLeadButton(KEY, garbage)).toBeNull();
  });
});

describe("the status line", () => {
  const createdAt = new Date("2026-11-30T10:00:00Z");
  const change = { name: "Иван Петров", telegramUsername: "ivan", at: new Date("2026-11-30T11:05:00Z") };

  it("names the state, who and when in Moscow time; a new lead has none", () => {
    expect(statusLine("in_progress", change, createdAt)).toBe("🙋 В работе: Иван Петров (@ivan) · 14:05 МСК");
    expect(statusLine("done", { ...change, telegramUsername: null }, createdAt)).toBe(
      "✅ Готово: Иван Петров · 14:05 МСК",
    );
    expect(statusLine("spam", change, createdAt)).toBe("🚫 Спам: Иван Петров (@ivan) · 14:05 МСК");
    expect(statusLine("new", change, createdAt)).toBeNull();
  });

  it("dates a change made on another day than the lead's, and stays within its reserve", () => {
    const later = { ...change, at: new Date("2026-12-01T21:30:00Z") };
    expect(statusLine("done", later, createdAt)).toBe("✅ Готово: Иван Петров (@ivan) · 02.12.2026, 00:30 МСК");
    const longest = statusLine(
      "in_progress",
      { name: "Щ".repeat(300), telegramUsername: "u".repeat(64), at: later.at },
      createdAt,
    );
    expect(`\n\n${longest}`.length).toBeLessThanOrEqual(STATUS_LINE_RESERVE);
  });
});
