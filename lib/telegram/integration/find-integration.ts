import "server-only";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

/** Every lookup goes through the tenant: an integration of another tenant is "not found". */
export function findIntegration(tenantId: string) {
  return db().telegramIntegration.findUnique({ where: { tenantId }, include: { polling: true } });
}

export async function requireIntegration(tenantId: string) {
  const integration = await findIntegration(tenantId);
  if (!integration) throw ApiError.notFound("Telegram integration not found");
  return integration;
}
