import "server-only";
import { config, ConfigError } from "@/lib/config";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { BotTokenUnreadable, decryptBotToken } from "./token-vault";

/** The newest tokens are the likeliest to be under the current key; a few are enough to tell. */
const TOKENS_CHECKED = 5;

function opens(stored: string): boolean {
  try {
    decryptBotToken(stored);
    return true;
  } catch (error) {
    if (error instanceof BotTokenUnreadable) return false;
    throw error;
  }
}

/**
 * Start-up: refuses to serve when ENCRYPTION_KEY opens none of the stored bot tokens.
 * A wrong key would otherwise fail every delivery for good, one lead at a time; a wrong
 * key (or a lost data/local-secrets.json, which gets a new one generated) is a mistake in
 * how the server was started, so it is reported as one. Neither key nor token is printed.
 */
export async function checkEncryptionKeyOpensStoredTokens(): Promise<void> {
  const rows = await db().telegramIntegration.findMany({
    select: { id: true, botTokenEncrypted: true },
    orderBy: { updatedAt: "desc" },
    take: TOKENS_CHECKED,
  });
  const unreadable = rows.filter((row) => !opens(row.botTokenEncrypted));
  if (unreadable.length === 0) return;
  if (unreadable.length < rows.length) {
    // The key is right; a few rows are not (left by a rotation that was cut short, say).
    log.warn(
      { integrations: unreadable.map((row) => row.id) },
      "some stored bot tokens cannot be decrypted with ENCRYPTION_KEY; those bots must be connected again",
    );
    return;
  }
  if (config().generatedSecrets.includes("ENCRYPTION_KEY")) {
    throw new ConfigError(
      "ENCRYPTION_KEY does not decrypt the stored bot tokens: data/local-secrets.json was missing, so the local secrets file was generated anew " +
        "on this start, but the stored tokens were encrypted with a different key. Restore data/local-secrets.json from a backup, or set " +
        "ENCRYPTION_KEY to the key the tokens were encrypted with.",
    );
  }
  throw new ConfigError(
    `ENCRYPTION_KEY does not decrypt the stored bot tokens (none of the ${rows.length} checked). Start with the key they were encrypted with: ` +
      "set ENCRYPTION_KEY (a comma-separated list may hold the old and the new key while rotating), or restore data/local-secrets.json " +
      "from a backup if the key came from there.",
  );
}
