import "server-only";
import type { Tx } from "@/lib/leads/state/lead-actor";

/**
 * What a press of a lead button needs to know about the site's members. Seams for member
 * linking (a member links their own Telegram account from their profile), which is built
 * on its own branch: until it lands, no Telegram user is a linked member and every site
 * lets anyone in the chat press.
 */

/** The site member who linked this Telegram account, or null. */
export const memberForTelegramUser: (
  tx: Tx,
  tenantId: string,
  telegramUserId: bigint,
) => Promise<string | null> = async () => null;

/** Whether the site lets only its members (with a linked Telegram account) press the buttons. */
export const onlyMembersMayPress: (tx: Tx, tenantId: string) => Promise<boolean> = async () => false;
