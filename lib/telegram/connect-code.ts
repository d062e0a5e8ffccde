import { createHash } from "node:crypto";

/** Deep-link payloads carry this prefix so /start can tell them from anything a user types. */
export const CONNECT_PAYLOAD_PREFIX = "c_";

/** Only hashes of connect codes are stored; the code itself travels in the t.me link. */
export const hashConnectCode = (code: string) => createHash("sha256").update(code).digest("hex");
