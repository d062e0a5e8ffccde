import { CONNECT_PAYLOAD_PREFIX } from "../connect-code";

/**
 * Reads `/start`, `/start <payload>` and `/start@bot_name <payload>`; null for any other
 * text. A payload is a connect code only with our prefix.
 */
export function parseStartCommand(text: string | undefined): { connectCode: string | null } | null {
  const match = text?.match(/^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/);
  if (!match) return null;
  const payload = match[1];
  return {
    connectCode: payload?.startsWith(CONNECT_PAYLOAD_PREFIX) ? payload.slice(CONNECT_PAYLOAD_PREFIX.length) : null,
  };
}
