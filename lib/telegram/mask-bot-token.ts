import "server-only";

/**
 * Telegram bot tokens look like `<bot id>:<secret>`, e.g. `7311594201:AAHk…Dg0o` (35-character
 * secret today). The bot id is public (it is the bot's user id), the secret is the credential.
 */

// Always the same number of bullets so the mask does not reveal the secret's length.
const BULLETS = "••••••••";
const VISIBLE_SECRET_CHARS = 4;

// The id length is bounded so scanning a long run of digits stays linear (no ReDoS); real bot ids
// are far shorter. 30+ secret characters means revealing the last 4 leaves 26+
// characters (~150 bits) hidden.
const ID = String.raw`\d{5,20}`;
const SECRET = String.raw`[A-Za-z0-9_-]{30,}`;
const WHOLE_TOKEN = new RegExp(String.raw`^(${ID}):(${SECRET})$`);
// `%3A`: the colon may arrive percent-encoded when a URL containing the token is logged.
// No leading \b: in `…/bot7311594201:AAH…` the id directly follows the letters "bot".
const TOKEN_IN_TEXT = new RegExp(String.raw`(${ID})(?::|%3[Aa])(${SECRET})`, "g");

/**
 * `7311594201:AAHk…Dg0o` → `7311594201:••••••••Dg0o`.
 *
 * Anything not shaped like a bot token becomes just `••••••••`. Such a value could be a token
 * with a typo, a truncated token or an unrelated secret pasted into the wrong field; any "last 4"
 * of a short value is a large share of it, and a leading run of digits need not be a public bot
 * id. Showing nothing is the only choice that is safe for every input.
 */
export function maskBotToken(token: string): string {
  const match = WHOLE_TOKEN.exec(token.trim());
  const id = match?.[1];
  const secret = match?.[2];
  if (id === undefined || secret === undefined) return BULLETS;
  return mask(id, secret);
}

/**
 * Replaces every bot-token-shaped substring of `text` (URLs such as
 * `https://api.telegram.org/bot<token>/sendMessage`, error messages, JSON) by its mask, for
 * logs and error paths. Errs towards over-redaction: anything of the token's shape is masked.
 * A token already cut below 30 secret characters is not recognised.
 */
export function redactBotTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, (_match, id: string, secret: string) => mask(id, secret));
}

function mask(id: string, secret: string): string {
  return formatMaskedToken(id, secret.slice(-VISIBLE_SECRET_CHARS));
}

/** The mask from what is stored beside the encrypted token, so showing it needs no decryption. */
export function formatMaskedToken(botId: string, lastFour: string): string {
  return `${botId}:${BULLETS}${lastFour.slice(-VISIBLE_SECRET_CHARS)}`;
}

/** The parts of a well-formed bot token, or null; only such tokens are ever sent to Telegram. */
export function splitBotToken(token: string): { botId: string; lastFour: string } | null {
  const match = WHOLE_TOKEN.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { botId: match[1], lastFour: match[2].slice(-VISIBLE_SECRET_CHARS) };
}
