import "server-only";
import { z } from "zod";
import type { Tenant } from "@/lib/db/generated/sqlite/client";
import type { TenantDto } from "@/lib/schemas/tenant";

const storedOrigins = z.array(z.string());

export function parseAllowedOrigins(stored: string): string[] {
  return storedOrigins.parse(JSON.parse(stored));
}

export function toTenantDto(tenant: Tenant): TenantDto {
  return {
    id: tenant.id,
    name: tenant.name,
    site_key: tenant.siteKey,
    allowed_origins: parseAllowedOrigins(tenant.allowedOrigins),
    only_members_may_press: tenant.onlyMembersMayPress,
  };
}
