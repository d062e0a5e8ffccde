import { randomBytes } from "node:crypto";

const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const SECRET_LENGTH = 35;

/** Bot tokens look like Telegram's: "<bot id>:<35 characters of [A-Za-z0-9_-]>". */
export function generateToken(botId: number): string {
  const bytes = randomBytes(SECRET_LENGTH);
  let secret = "";
  for (const byte of bytes) {
    secret += SECRET_ALPHABET[byte % SECRET_ALPHABET.length];
  }
  return `${botId}:${secret}`;
}

export const TOKEN_PATTERN = /^(\d{1,16}):[A-Za-z0-9_-]{35}$/;

/**
 * What telegram-bot-api's ClientManager refuses before looking the token up
 * ("Unauthorized: invalid token specified"); anything else is merely unknown ("Unauthorized").
 */
export function isMalformedToken(token: string): boolean {
  if (token === "" || token.startsWith("0") || token.length > 80 || token.includes("/") || !token.includes(":")) {
    return true;
  }
  const id = Number(token.slice(0, token.indexOf(":")));
  return !Number.isSafeInteger(id) || id <= 0;
}

/** The bot id a token claims, used to match faults even for tokens that are not registered. */
export function botIdOfToken(token: string): number | undefined {
  const match = /^(\d+):/.exec(token);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
