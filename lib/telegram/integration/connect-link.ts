import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { ConnectLinkResponse } from "@/lib/schemas/telegram";
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
  if (!integration.botUsername) throw new ApiError(409, "The bot has no username; connect it again");
  const code = randomBytes(18).toString("base64url");
  const expiresAt = new Date(Date.now() + CODE_LIFETIME_MS);
  await db().$transaction([
    db().telegramConnectCode.deleteMany({ where: { integrationId: integration.id, expiresAt: { lt: new Date() } } }),
    db().telegramConnectCode.create({ data: { codeHash: hashConnectCode(code), integrationId: integration.id, expiresAt } }),
  ]);
  return { url: `https://t.me/${integration.botUsername}?start=${CONNECT_PAYLOAD_PREFIX}${code}`, expires_at: isoTimestamp(expiresAt) };
}
