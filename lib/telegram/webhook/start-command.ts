import { ACCOUNT_LINK_PAYLOAD_PREFIX, CONNECT_PAYLOAD_PREFIX } from "../connect-code";

/** The code after a payload's prefix, or null when the payload has another prefix or none. */
const codeAfter = (prefix: string, payload: string | undefined) =>
  payload?.startsWith(prefix) ? payload.slice(prefix.length) : null;

/**
 * Reads `/start`, `/start <payload>` and `/start@bot_name <payload>`; null for any other
 * text. A payload is a connect code or an account link code only with its prefix.
 */
export function parseStartCommand(
  text: string | undefined,
): { connectCode: string | null; accountLinkCode: string | null } | null {
  const match = text?.match(/^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/);
  if (!match) return null;
  const payload = match[1];
  return {
    connectCode: codeAfter(CONNECT_PAYLOAD_PREFIX, payload),
    accountLinkCode: codeAfter(ACCOUNT_LINK_PAYLOAD_PREFIX, payload),
  };
}
