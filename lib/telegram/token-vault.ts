import "server-only";
import { config } from "@/lib/config";
import { InvalidFernetToken, MultiFernet } from "@/lib/crypto/fernet";

/** Bot tokens at rest: Fernet under ENCRYPTION_KEY, readable by Python's cryptography.fernet. */

let fernet: MultiFernet | undefined;
function keys(): MultiFernet {
  fernet ??= new MultiFernet(config().encryptionKeys);
  return fernet;
}

/** A stored token that none of the configured keys opens (wrong or removed ENCRYPTION_KEY). */
export class BotTokenUnreadable extends Error {
  constructor() {
    super(
      "The stored bot token cannot be decrypted with the configured ENCRYPTION_KEY; set the key it was encrypted with, or connect the bot again",
    );
    this.name = "BotTokenUnreadable";
  }
}

export function encryptBotToken(token: string): string {
  return keys().encrypt(token);
}

export function decryptBotToken(stored: string): string {
  try {
    return keys().decrypt(stored).toString("utf8");
  } catch (error) {
    if (error instanceof InvalidFernetToken) throw new BotTokenUnreadable();
    throw error;
  }
}

/** Re-encrypts under the first key (keeping Fernet's timestamp), for key rotation. */
export function reencryptBotToken(stored: string): string {
  try {
    return keys().rotate(stored);
  } catch (error) {
    if (error instanceof InvalidFernetToken) throw new BotTokenUnreadable();
    throw error;
  }
}
