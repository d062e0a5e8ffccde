// `npm run rotate-encryption-key`: re-encrypt every stored bot token under the first key of
// ENCRYPTION_KEY. Rotation: put the new key first (ENCRYPTION_KEY=new,old), restart the
// server, run this, then drop the old key.
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { rotateStoredBotTokens } from "@/lib/telegram/rotate-bot-tokens";

const { encryptionKeys } = config();
const report = await rotateStoredBotTokens();
console.log(`Re-encrypted ${report.rotated} bot token(s) under the first of ${encryptionKeys.length} key(s).`);
if (report.unreadable.length > 0) {
  console.error(
    `${report.unreadable.length} integration(s) have a token that no configured key opens: ${report.unreadable.join(", ")}`,
  );
}
await db().$disconnect();
process.exit(report.unreadable.length > 0 ? 1 : 0);
