"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { membersQueryKey } from "@/hooks/use-site-settings";
import { apiRequest } from "@/lib/api/api-client";
import { connectLinkResponseSchema } from "@/lib/schemas/telegram";
import { telegramLinkStateSchema } from "@/lib/schemas/telegram-account";

const PATH = "/api/v1/auth/telegram-link";
export const telegramLinkQueryKey = ["telegram-link"] as const;

/** The caller's linked Telegram account and latest link, asked again every `pollEveryMs` while that link waits. */
export function useTelegramLink(pollEveryMs: number) {
  return useQuery({
    queryKey: telegramLinkQueryKey,
    queryFn: () => apiRequest("GET", PATH, telegramLinkStateSchema),
    refetchInterval: (query) =>
      query.state.status !== "error" && query.state.data?.link?.status === "waiting" ? pollEveryMs : false,
  });
}

/** A one-time t.me link: the Telegram user who presses Start with it becomes the caller's account. */
export function useCreateTelegramLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest("POST", PATH, connectLinkResponseSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: telegramLinkQueryKey }),
  });
}

/** The team list shows members' accounts, so it is read again too. */
export function useUnlinkTelegram() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest("DELETE", PATH, z.null()),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: telegramLinkQueryKey }),
        queryClient.invalidateQueries({ queryKey: membersQueryKey }),
      ]),
  });
}
