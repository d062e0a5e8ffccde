import "server-only";
import type { ApiToken } from "@/lib/db/generated/sqlite/client";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { ApiTokenDto, CreatedApiToken } from "@/lib/schemas/tenant";
import { issueApiToken } from "./api-tokens";

function toApiTokenDto(row: ApiToken): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: isoTimestamp(row.createdAt),
    last_used_at: row.lastUsedAt ? isoTimestamp(row.lastUsedAt) : null,
    revoked_at: row.revokedAt ? isoTimestamp(row.revokedAt) : null,
  };
}

export async function listApiTokens(tenantId: string): Promise<{ items: ApiTokenDto[] }> {
  const rows = await db().apiToken.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" } });
  return { items: rows.map(toApiTokenDto) };
}

/** The token is in this answer only; afterwards just its hash and prefix exist. */
export async function createApiToken(tenantId: string, userId: string, name: string): Promise<CreatedApiToken> {
  const { id, token } = await issueApiToken({ tenantId, userId, name });
  const row = await db().apiToken.findUniqueOrThrow({ where: { id } });
  return { ...toApiTokenDto(row), token };
}

export async function revokeApiToken(tenantId: string, tokenId: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({
    where: { id: tokenId, tenantId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0 && !(await db().apiToken.findFirst({ where: { id: tokenId, tenantId } })))
    throw ApiError.notFound("API token not found");
}
