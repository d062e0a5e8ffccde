import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { ConnectLinkResponse } from "@/lib/schemas/telegram";
import type { TelegramLinkState } from "@/lib/schemas/telegram-account";
import { ACCOUNT_LINK_PAYLOAD_PREFIX, hashConnectCode } from "../connect-code";
import { toTelegramAccountDto } from "./telegram-account-dto";

const CODE_LIFETIME_MS = 15 * 60 * 1000;

/**
 * POST /api/v1/auth/telegram-link — a t.me link to the site's bot with a one-time code; the
 * Telegram user who presses Start with it becomes the caller's own account in this site
 * (lib/telegram/members/link-from-start.ts). It replaces the caller's earlier links, so
 * the newest is the one the status speaks of. Only the code's hash is stored.
 */
export async function createAccountLink(tenantId: string, userId: string): Promise<ConnectLinkResponse> {
  const integration = await db().telegramIntegration.findUnique({ where: { tenantId } });
  if (!integration?.isActive)
    throw new ApiError(
      409,
      "integration_missing",
      "The site has no active Telegram bot; a site admin connects one first",
    );
  if (!integration.botUsername)
    throw new ApiError(409, "bot_username_missing", "The bot has no username; a site admin connects it again");
  const code = randomBytes(18).toString("base64url");
  const codeHash = hashConnectCode(code);
  const expiresAt = new Date(Date.now() + CODE_LIFETIME_MS);
  await db().$transaction([
    db().telegramAccountLinkCode.deleteMany({ where: { tenantId, userId } }),
    db().telegramAccountLinkCode.create({ data: { codeHash, tenantId, userId, expiresAt } }),
  ]);
  // The hash names the link for its status: it cannot be turned back into the code.
  return {
    id: codeHash,
    url: `https://t.me/${integration.botUsername}?start=${ACCOUNT_LINK_PAYLOAD_PREFIX}${code}`,
    expires_at: isoTimestamp(expiresAt),
  };
}

/** GET /api/v1/auth/telegram-link — the caller's linked account in this site, and whether their latest link was used. */
export async function accountLinkState(tenantId: string, userId: string): Promise<TelegramLinkState> {
  const [account, code] = await Promise.all([
    db().telegramAccountLink.findUnique({ where: { tenantId_userId: { tenantId, userId } } }),
    db().telegramAccountLinkCode.findFirst({ where: { tenantId, userId }, orderBy: { createdAt: "desc" } }),
  ]);
  return {
    account: account && { ...toTelegramAccountDto(account), linked_at: isoTimestamp(account.linkedAt) },
    link: code && {
      id: code.codeHash,
      status: code.usedAt !== null ? "used" : code.expiresAt <= new Date() ? "expired" : "waiting",
      expires_at: isoTimestamp(code.expiresAt),
    },
  };
}

/** DELETE /api/v1/auth/telegram-link — the caller's account is theirs no more; their pending link goes too. */
export async function unlinkAccount(tenantId: string, userId: string): Promise<void> {
  await db().$transaction([
    db().telegramAccountLink.deleteMany({ where: { tenantId, userId } }),
    db().telegramAccountLinkCode.deleteMany({ where: { tenantId, userId } }),
  ]);
}
