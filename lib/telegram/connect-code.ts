import { createHash } from "node:crypto";

/**
 * Deep-link payloads carry a prefix so /start can tell them from anything a user types and
 * from each other: a connect link binds the chat as the owner's chat, an account link makes
 * the Telegram user who presses Start a member's own account.
 */
export const CONNECT_PAYLOAD_PREFIX = "c_";
export const ACCOUNT_LINK_PAYLOAD_PREFIX = "l_";

/** Only hashes of connect and account link codes are stored; the code itself travels in the t.me link. */
export const hashConnectCode = (code: string) => createHash("sha256").update(code).digest("hex");
