import "server-only";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { log } from "@/lib/log";
import { hashConnectCode } from "../connect-code";
import type { Tx } from "../webhook/receive-update";
import type { UpdateChat } from "../webhook/update-schema";

const NOT_PRIVATE =
  "⚠️ Привязать аккаунт можно только в личном чате с ботом. Откройте ссылку из настроек Leadgram ещё раз.";
const NO_LONGER_VALID =
  "⚠️ Ссылка для привязки аккаунта устарела или уже использована. Получите новую в настройках Leadgram → Аккаунт.";

/**
 * `/start l_<code>`: the Telegram user who pressed Start on a member's account link becomes
 * that member's own account in the site, in the update's transaction. Only from a private
 * chat, whose chat is the user (same id and names). A Telegram account belongs to at most
 * one member of a site: linking it again moves it, and the reply says from whom.
 * Returns the reply.
 */
export async function linkAccountFromStart(
  tx: Tx,
  integration: TelegramIntegration,
  code: string,
  chat: UpdateChat,
): Promise<string> {
  if (chat.type !== "private") return NOT_PRIVATE;
  const { tenantId } = integration;
  const codeHash = hashConnectCode(code);
  const now = new Date();
  // The compare-and-set is the code's single use: of two presses of one link, one claims it.
  const claimed = await tx.telegramAccountLinkCode.updateMany({
    where: { codeHash, tenantId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count === 0) return NO_LONGER_VALID;
  const { userId, membership } = await tx.telegramAccountLinkCode.findUniqueOrThrow({
    where: { codeHash },
    select: { userId: true, membership: { select: { user: { select: { email: true } }, tenant: true } } },
  });

  const telegramUserId = BigInt(chat.id);
  const previous = await tx.telegramAccountLink.findUnique({
    where: { tenantId_telegramUserId: { tenantId, telegramUserId } },
    select: { userId: true, membership: { select: { user: { select: { email: true } } } } },
  });
  const movedFrom = previous && previous.userId !== userId ? previous.membership.user.email : null;
  if (movedFrom !== null)
    await tx.telegramAccountLink.delete({ where: { tenantId_telegramUserId: { tenantId, telegramUserId } } });
  const account = {
    telegramUserId,
    username: chat.username ?? null,
    firstName: chat.first_name ?? null,
    lastName: chat.last_name ?? null,
    linkedAt: now,
  };
  await tx.telegramAccountLink.upsert({
    where: { tenantId_userId: { tenantId, userId } },
    create: { tenantId, userId, ...account },
    update: account,
  });
  log.info({ tenant: tenantId, user: userId, telegramUserId: chat.id }, "telegram account linked to a member");

  const linked = `✅ Аккаунт Telegram привязан к ${membership.user.email} на сайте «${membership.tenant.name}» в Leadgram.`;
  return movedFrom === null ? linked : `${linked}\nРаньше он был привязан к ${movedFrom}: та привязка снята.`;
}
