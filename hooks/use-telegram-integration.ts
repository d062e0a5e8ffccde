"use client";
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { apiRequest } from "@/lib/api/api-client";
import { leadListSchema } from "@/lib/schemas/leads";
import {
  connectLinkResponseSchema,
  connectLinkStatusSchema,
  integrationSchema,
  telegramChatListSchema,
  testMessageResponseSchema,
  webhookActionResponseSchema,
  webhookUrlResponseSchema,
  type CreateIntegrationRequest,
  type UpdateIntegrationRequest,
} from "@/lib/schemas/telegram";

const BASE = "/api/v1/telegram/integration";

/**
 * Every Telegram query lives under ["telegram-integration"], so invalidating that key after a
 * mutation also refreshes the chats list and the webhook URL.
 */
export const telegramIntegrationKey = ["telegram-integration"] as const;
export const telegramChatsKey = [...telegramIntegrationKey, "chats"] as const;
export const webhookUrlKey = [...telegramIntegrationKey, "webhook-url"] as const;
export const deliveryHealthKey = ["leads", "telegram-delivery-health"] as const;

const nullableIntegrationSchema = integrationSchema.nullable();
const deletedSchema = z.null();

function invalidateTelegram(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: telegramIntegrationKey });
}

/** The tenant's integration, or null when no bot is connected. `refetchInterval` polls (connect link). */
export function useTelegramIntegration(options: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: telegramIntegrationKey,
    queryFn: () => apiRequest("GET", BASE, nullableIntegrationSchema),
    refetchInterval: options.refetchInterval ?? false,
  });
}

export function useCreateTelegramIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateIntegrationRequest) => apiRequest("POST", BASE, integrationSchema, request),
    onSuccess: (integration) => {
      queryClient.setQueryData(telegramIntegrationKey, integration);
      return invalidateTelegram(queryClient);
    },
  });
}

export function useUpdateTelegramIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateIntegrationRequest) => apiRequest("PATCH", BASE, integrationSchema, changes),
    onSuccess: (integration) => {
      queryClient.setQueryData(telegramIntegrationKey, integration);
      return invalidateTelegram(queryClient);
    },
  });
}

export function useDeleteTelegramIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest("DELETE", BASE, deletedSchema),
    onSuccess: () => {
      // The chats and webhook URL belonged to the deleted bot; asking for them again would 404.
      queryClient.removeQueries({ queryKey: telegramIntegrationKey, predicate: (query) => query.queryKey.length > 1 });
      queryClient.setQueryData(telegramIntegrationKey, null);
      return invalidateTelegram(queryClient);
    },
  });
}

/** Sends the test message to `chatId`, or to the owner's chat when omitted. Always resolves with the outcome. */
export function useSendTestMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (chatId?: number) =>
      apiRequest("POST", `${BASE}/test`, testMessageResponseSchema, chatId === undefined ? {} : { chat_id: chatId }),
    onSuccess: () => invalidateTelegram(queryClient),
  });
}

export function useWebhookUrl() {
  return useQuery({
    queryKey: webhookUrlKey,
    queryFn: () => apiRequest("GET", `${BASE}/webhook-url`, webhookUrlResponseSchema),
  });
}

/** Registers the webhook at the server's default URL (`{}`) or at `webhookUrl` (e.g. a tunnel). */
export function useSetWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhookUrl?: string) =>
      apiRequest("POST", `${BASE}/webhook`, webhookActionResponseSchema, webhookUrl ? { webhook_url: webhookUrl } : {}),
    onSuccess: () => invalidateTelegram(queryClient),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest("DELETE", `${BASE}/webhook`, webhookActionResponseSchema),
    onSuccess: () => invalidateTelegram(queryClient),
  });
}

/** Chats that wrote to the bot, most recent first. */
export function useTelegramChats(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: telegramChatsKey,
    queryFn: async () => (await apiRequest("GET", `${BASE}/chats`, telegramChatListSchema)).items,
    enabled: options.enabled ?? true,
  });
}

/** A one-time t.me link: the chat that presses Start with it becomes the owner's chat. */
export function useCreateConnectLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest("POST", `${BASE}/connect-link`, connectLinkResponseSchema),
    onSuccess: () => invalidateTelegram(queryClient),
  });
}

/** Asks every `pollEveryMs` whether the link has been used, until it has been or has expired. */
export function useConnectLinkStatus(linkId: string | null, pollEveryMs: number) {
  return useQuery({
    queryKey: [...telegramIntegrationKey, "connect-link", linkId],
    queryFn: () =>
      apiRequest("GET", `${BASE}/connect-link/${encodeURIComponent(linkId ?? "")}`, connectLinkStatusSchema),
    enabled: linkId !== null,
    refetchInterval: (query) =>
      query.state.status !== "error" && (query.state.data?.status ?? "waiting") === "waiting" ? pollEveryMs : false,
  });
}

/**
 * Whether notifications are failing: the newest lead whose delivery failed, unless a later
 * lead was delivered since (then the failure is history, not the current state).
 */
export function useDeliveryFailure() {
  return useQuery({
    queryKey: deliveryHealthKey,
    queryFn: async () => {
      const [failed, sent] = await Promise.all([
        apiRequest("GET", "/api/v1/leads?status=failed&limit=1", leadListSchema),
        apiRequest("GET", "/api/v1/leads?status=sent&limit=1", leadListSchema),
      ]);
      const lastFailed = failed.items[0];
      const lastSent = sent.items[0];
      if (!lastFailed) return null;
      if (lastSent && Date.parse(lastSent.created_at) > Date.parse(lastFailed.created_at)) return null;
      return lastFailed;
    },
  });
}
