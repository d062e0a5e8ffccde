"use client";
import { useQuery } from "@tanstack/react-query";
import { apiRequest } from "@/lib/api/api-client";
import { tenantSchema } from "@/lib/schemas/tenant";

export const tenantQueryKey = ["tenant"] as const;

export function useTenant() {
  return useQuery({ queryKey: tenantQueryKey, queryFn: () => apiRequest("GET", "/api/v1/tenant", tenantSchema) });
}
