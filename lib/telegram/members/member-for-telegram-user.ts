import "server-only";
import { db, type Db } from "@/lib/db/client";
import type { Tx } from "@/lib/leads/state/lead-actor";

/**
 * The site member who linked this Telegram account in this site, or null: a press in a
 * site's chat names the member behind it. An account linked in another site resolves to
 * nobody here. Pass the transaction the caller is in, if any.
 */
export async function memberForTelegramUser(
  tenantId: string,
  telegramUserId: number | bigint,
  database: Db | Tx = db(),
): Promise<{ userId: string; email: string } | null> {
  const link = await database.telegramAccountLink.findUnique({
    where: { tenantId_telegramUserId: { tenantId, telegramUserId: BigInt(telegramUserId) } },
    select: { userId: true, membership: { select: { user: { select: { email: true } } } } },
  });
  return link ? { userId: link.userId, email: link.membership.user.email } : null;
}

/** The site's setting: presses only from members' linked accounts (off by default). */
export async function onlyMembersMayPress(tenantId: string, database: Db | Tx = db()): Promise<boolean> {
  const tenant = await database.tenant.findUnique({ where: { id: tenantId }, select: { onlyMembersMayPress: true } });
  return tenant?.onlyMembersMayPress ?? false;
}
