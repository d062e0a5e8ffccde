import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { ConnectLinkResponse, ConnectLinkStatus } from "@/lib/schemas/telegram";
import { CONNECT_PAYLOAD_PREFIX, hashConnectCode } from "../connect-code";
import { requireIntegration } from "./find-integration";

const CODE_LIFETIME_MS = 15 * 60 * 1000;

/**
 * POST /api/v1/telegram/integration/connect-link — a t.me deep link with a one-time code.
 * When the owner opens it and presses Start, the webhook binds that chat as owner_chat_id.
 * Only the code's hash is stored; codes expire and work once.
 */
export async function createConnectLink(tenantId: string): Promise<ConnectLinkResponse> {
  const integration = await requireIntegration(tenantId);
  if (!integration.botUsername)
    throw new ApiError(409, "bot_username_missing", "The bot has no username; connect it again");
  const code = randomBytes(18).toString("base64url");
  const codeHash = hashConnectCode(code);
  const expiresAt = new Date(Date.now() + CODE_LIFETIME_MS);
  await db().$transaction([
    db().telegramConnectCode.deleteMany({ where: { integrationId: integration.id, expiresAt: { lt: new Date() } } }),
    db().telegramConnectCode.create({ data: { codeHash, integrationId: integration.id, expiresAt } }),
  ]);
  // The hash names the link for its status: it cannot be turned back into the code.
  return {
    id: codeHash,
    url: `https://t.me/${integration.botUsername}?start=${CONNECT_PAYLOAD_PREFIX}${code}`,
    expires_at: isoTimestamp(expiresAt),
  };
}

/**
 * GET /api/v1/telegram/integration/connect-link/<id>: whether the link has been used and by
 * which chat. The settings page asks this rather than watching owner_chat_id, which does
 * not change when the chat that presses Start already was the owner's chat.
 */
export async function connectLinkStatus(tenantId: string, linkId: string): Promise<ConnectLinkStatus> {
  const integration = await requireIntegration(tenantId);
  const link = await db().telegramConnectCode.findFirst({ where: { codeHash: linkId, integrationId: integration.id } });
  if (!link) throw ApiError.notFound("Connect link not found");
  // Links used before the chat was recorded with them are connected to an unknown chat.
  if (link.usedAt !== null)
    return { status: "connected", chat_id: link.usedByChatId === null ? null : Number(link.usedByChatId) };
  return { status: link.expiresAt <= new Date() ? "expired" : "waiting", chat_id: null };
}
