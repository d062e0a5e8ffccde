import "server-only";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

/**
 * A bot has one webhook URL, so it can serve one site: a second site connecting it would
 * silently take over the first one's webhook and its /start replies.
 */
export async function assertBotFree(tenantId: string, botId: bigint): Promise<void> {
  const other = await db().telegramIntegration.findFirst({
    where: { botId, tenantId: { not: tenantId } },
    select: { id: true },
  });
  if (other) throw new ApiError(409, "bot_taken", "This bot is already connected to another site");
}
