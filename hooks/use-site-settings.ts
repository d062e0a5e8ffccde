"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { refusedRedirectsQueryKey } from "@/hooks/use-leads";
import { tenantQueryKey } from "@/hooks/use-tenant";
import { apiRequest } from "@/lib/api/api-client";
import type { ChangePasswordRequest } from "@/lib/schemas/auth";
import {
  apiTokenListSchema,
  createdApiTokenSchema,
  memberListItemSchema,
  memberListSchema,
  memberSchema,
  tenantSchema,
  type CreateApiTokenRequest,
  type CreateMemberRequest,
  type UpdateMemberRequest,
  type UpdateTenantRequest,
} from "@/lib/schemas/tenant";

export const membersQueryKey = ["members"] as const;
export const apiTokensQueryKey = ["api-tokens"] as const;

export type { MemberListItem } from "@/lib/schemas/tenant";
export type ApiTokenListItem = z.infer<typeof apiTokenListSchema>["items"][number];

/** Renames the site or replaces its allowed origins; the answer is the updated site. */
export function useUpdateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateTenantRequest) => apiRequest("PATCH", "/api/v1/tenant", tenantSchema, changes),
    onSuccess: async (tenant) => {
      queryClient.setQueryData(tenantQueryKey, tenant);
      // An origin allowed now ends its refused-redirect notice.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: tenantQueryKey }),
        queryClient.invalidateQueries({ queryKey: refusedRedirectsQueryKey }),
      ]);
    },
  });
}

export function useMembers() {
  return useQuery({
    queryKey: membersQueryKey,
    queryFn: () => apiRequest("GET", "/api/v1/tenant/members", memberListSchema),
  });
}

export function useAddMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: CreateMemberRequest) => apiRequest("POST", "/api/v1/tenant/members", memberSchema, member),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}

const memberPath = (userId: string) => `/api/v1/tenant/members/${encodeURIComponent(userId)}`;

export function useChangeMemberRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, ...change }: UpdateMemberRequest & { userId: string }) =>
      apiRequest("PATCH", memberPath(userId), memberListItemSchema, change),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}

/** Removing a member also revokes their API tokens here, so both lists are re-read. */
export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => apiRequest("DELETE", memberPath(userId), z.null()),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: membersQueryKey }),
        queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
      ]),
  });
}

/** The answer re-issues this browser's session cookie; the user's other sessions end. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (request: ChangePasswordRequest) => apiRequest("POST", "/api/v1/auth/password", z.null(), request),
  });
}

/** Ends every session of the user, this one included. */
export function useSignOutEverywhere() {
  return useMutation({ mutationFn: () => apiRequest("POST", "/api/v1/auth/sign-out-everywhere", z.null(), {}) });
}

export function useApiTokens() {
  return useQuery({
    queryKey: apiTokensQueryKey,
    queryFn: () => apiRequest("GET", "/api/v1/tokens", apiTokenListSchema),
  });
}

/** The answer carries the token itself, once; the list afterwards only has its prefix. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateApiTokenRequest) =>
      apiRequest("POST", "/api/v1/tokens", createdApiTokenSchema, request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => apiRequest("DELETE", `/api/v1/tokens/${encodeURIComponent(tokenId)}`, z.null()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokensQueryKey }),
  });
}
