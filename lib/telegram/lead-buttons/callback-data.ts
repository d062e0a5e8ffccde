import { createHmac, timingSafeEqual } from "node:crypto";
import type { LeadState } from "@/lib/schemas/leads";

/**
 * The callback_data of a lead's state buttons: `<to><from>:<lead id>:<mac>`, one letter for
 * the state the button moves the lead to and one for the state the keyboard was drawn for
 * (a press on a stale keyboard then finds the lead moved on, and says so), then the lead and
 * a truncated HMAC-SHA256 of the three keyed by the integration's webhook secret. At most 53
 * bytes (Telegram allows 1-64).
 *
 * The press is acted on only for a lead of the site whose bot received it, so data naming
 * another site's lead changes nothing even with a valid MAC; the MAC lets garbage and
 * hand-made data be refused without reading the database. The webhook secret is the bot's
 * own (it changes only when another bot is connected, whose presses never reach the old
 * messages), so no server-wide secret has to be kept stable for old buttons to keep working.
 */

const STATE_LETTERS = { new: "n", in_progress: "w", done: "d", spam: "s" } as const satisfies Record<LeadState, string>;
const LETTER_STATES = Object.fromEntries(
  Object.entries(STATE_LETTERS).map(([state, letter]) => [letter, state]),
) as Record<string, LeadState>;
/** 9 bytes of the MAC, 12 characters of base64url: forging one takes 2^72 tries. */
const MAC_BYTES = 9;
const PATTERN = /^([nwds])([nwds]):([0-9A-Za-z-]{1,40}):([A-Za-z0-9_-]{12})$/;

export type LeadButtonAction = { to: LeadState; from: LeadState; leadId: string };

function mac(key: string, action: LeadButtonAction): Buffer {
  return createHmac("sha256", key)
    .update(`lead-state:${action.to}:${action.from}:${action.leadId}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

export function encodeLeadButton(key: string, action: LeadButtonAction): string {
  const letters = `${STATE_LETTERS[action.to]}${STATE_LETTERS[action.from]}`;
  return `${letters}:${action.leadId}:${mac(key, action).toString("base64url")}`;
}

/** The action the data names, or null when it is not a lead button of this bot (malformed, or its MAC does not match). */
export function decodeLeadButton(key: string, data: string): LeadButtonAction | null {
  const match = PATTERN.exec(data);
  if (!match) return null;
  const [, toLetter = "", fromLetter = "", leadId = "", givenMac = ""] = match;
  const to = LETTER_STATES[toLetter];
  const from = LETTER_STATES[fromLetter];
  if (!to || !from) return null;
  const action = { to, from, leadId };
  const given = Buffer.from(givenMac, "base64url");
  const expected = mac(key, action);
  return given.length === expected.length && timingSafeEqual(given, expected) ? action : null;
}
