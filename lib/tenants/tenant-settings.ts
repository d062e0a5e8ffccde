import "server-only";
import { db } from "@/lib/db/client";
import { changeSite } from "@/lib/leads/intake/site-directory";
import type { TenantDto } from "@/lib/schemas/tenant";
import { toTenantDto } from "./tenant-dto";

export async function getTenant(tenantId: string): Promise<TenantDto> {
  return toTenantDto(await db().tenant.findUniqueOrThrow({ where: { id: tenantId } }));
}

export async function updateTenant(
  tenantId: string,
  changes: { name?: string; allowed_origins?: string[]; only_members_may_press?: boolean },
): Promise<TenantDto> {
  const tenant = await changeSite((tx) =>
    tx.tenant.update({
      where: { id: tenantId },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.allowed_origins !== undefined
          ? { allowedOrigins: JSON.stringify([...new Set(changes.allowed_origins)]) }
          : {}),
        ...(changes.only_members_may_press !== undefined
          ? { onlyMembersMayPress: changes.only_members_may_press }
          : {}),
      },
    }),
  );
  return toTenantDto(tenant);
}
