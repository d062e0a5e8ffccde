import "server-only";
import { db } from "@/lib/db/client";
import { BotTokenUnreadable, reencryptBotToken } from "./token-vault";

export type RotationReport = { rotated: number; unreadable: string[] };

/**
 * Re-encrypts every stored bot token under the first ENCRYPTION_KEY, so the old keys can
 * then be dropped from the list. A row changed meanwhile (the owner saved a new token) is
 * left alone: the compare-and-set only writes over the exact value that was read.
 */
export async function rotateStoredBotTokens(): Promise<RotationReport> {
  const rows = await db().telegramIntegration.findMany({ select: { id: true, botTokenEncrypted: true } });
  const report: RotationReport = { rotated: 0, unreadable: [] };
  for (const row of rows) {
    let next: string;
    try {
      next = reencryptBotToken(row.botTokenEncrypted);
    } catch (error) {
      if (!(error instanceof BotTokenUnreadable)) throw error;
      report.unreadable.push(row.id);
      continue;
    }
    const { count } = await db().telegramIntegration.updateMany({
      where: { id: row.id, botTokenEncrypted: row.botTokenEncrypted },
      data: { botTokenEncrypted: next },
    });
    report.rotated += count;
  }
  return report;
}
