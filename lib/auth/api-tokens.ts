import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";

const TOKEN_PREFIX = "lg_";

/** SHA-256 suffices: the token has 256 random bits, so there is nothing to brute-force. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function issueApiToken(input: {
  tenantId: string;
  userId: string;
  name: string;
}): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db().apiToken.create({
    data: { ...input, tokenHash: hashApiToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
  });
  return { id: row.id, token };
}

/** The live token's owner, or null for an unknown or revoked token. */
export async function findApiToken(token: string) {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || row.revokedAt) return null;
  return row;
}

export async function touchApiToken(id: string): Promise<void> {
  await db().apiToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
}
