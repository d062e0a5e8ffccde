"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiClientError, apiRequest } from "@/lib/api/api-client";
import {
  leadDetailSchema,
  leadFiguresSchema,
  leadListSchema,
  refusedRedirectListSchema,
  type DeliveryStatus,
  type LeadState,
} from "@/lib/schemas/leads";

/** Rows per page of the inbox (the API's default). */
export const LEADS_PAGE_SIZE = 25;
/** The inbox refreshes in the background so new leads and status changes show up. */
const LIST_REFRESH_MS = 5_000;
/** A lead whose notification is still on its way is polled until the outcome is final. */
const DETAIL_POLL_MS = 2_000;

const FINAL_STATUSES: ReadonlySet<DeliveryStatus> = new Set(["sent", "failed", "skipped"]);

export const isFinalStatus = (status: DeliveryStatus) => FINAL_STATUSES.has(status);

/** The inbox's filters: the delivery status and the team's state of the lead. */
export type LeadFilter = { status?: DeliveryStatus; state?: LeadState };

export const leadsQueryKey = (filter: LeadFilter) => ["leads", filter.status ?? null, filter.state ?? null] as const;
export const leadQueryKey = (id: string) => ["lead", id] as const;
export const refusedRedirectsQueryKey = ["refused-redirects"] as const;

/** A missing lead (404) or a refused call (401/403) will not get better by asking again. */
function retryUnlessFinal(failureCount: number, error: Error): boolean {
  if (error instanceof ApiClientError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

/** The site's leads, newest first, page by page (`fetchNextPage` loads the next cursor). */
export function useLeads(filter: LeadFilter) {
  return useInfiniteQuery({
    queryKey: leadsQueryKey(filter),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(LEADS_PAGE_SIZE) });
      if (pageParam) params.set("cursor", pageParam);
      if (filter.status) params.set("status", filter.status);
      if (filter.state) params.set("state", filter.state);
      return apiRequest("GET", `/api/v1/leads?${params.toString()}`, leadListSchema);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
    refetchInterval: LIST_REFRESH_MS,
    retry: retryUnlessFinal,
  });
}

/** Form redirects refused lately, for the owner's notice; refreshed like the inbox so a new one shows up. */
export function useRefusedRedirects() {
  return useQuery({
    queryKey: refusedRedirectsQueryKey,
    queryFn: () => apiRequest("GET", "/api/v1/leads/refused-redirects", refusedRedirectListSchema),
    refetchInterval: LIST_REFRESH_MS,
    retry: retryUnlessFinal,
  });
}

/** One lead with its delivery history; polled while its notification is pending or retrying. */
export function useLead(id: string) {
  return useQuery({
    queryKey: leadQueryKey(id),
    queryFn: () => apiRequest("GET", `/api/v1/leads/${encodeURIComponent(id)}`, leadDetailSchema),
    refetchInterval: (query) => {
      const status = query.state.data?.delivery.status;
      return status && !isFinalStatus(status) ? DETAIL_POLL_MS : false;
    },
    retry: retryUnlessFinal,
  });
}

/** Queues a lead's notification again (site owner and admins); the lead then polls until final. */
export function useResendLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest("POST", `/api/v1/leads/${encodeURIComponent(id)}/resend`, leadDetailSchema),
    onSuccess: (lead, id) => {
      queryClient.setQueryData(leadQueryKey(id), lead);
    },
    onSettled: async (_lead, _error, id) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["leads"] }),
        queryClient.invalidateQueries({ queryKey: leadQueryKey(id) }),
      ]);
    },
  });
}

/** Moves a lead to another state (any member); the inbox, the figures and Telegram's message follow. */
export function useChangeLeadState(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (state: LeadState) =>
      apiRequest("PATCH", `/api/v1/leads/${encodeURIComponent(id)}`, leadDetailSchema, { state }),
    onSuccess: (lead) => {
      queryClient.setQueryData(leadQueryKey(id), lead);
    },
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["leads"] }),
        queryClient.invalidateQueries({ queryKey: leadFiguresQueryKey }),
      ]);
    },
  });
}

export const leadFiguresQueryKey = ["lead-figures"] as const;

/** Open leads and how fast the team takes them, for the dashboard; refreshed like the inbox. */
export function useLeadFigures() {
  return useQuery({
    queryKey: leadFiguresQueryKey,
    queryFn: () => apiRequest("GET", "/api/v1/leads/stats", leadFiguresSchema),
    refetchInterval: LIST_REFRESH_MS,
    retry: retryUnlessFinal,
  });
}
