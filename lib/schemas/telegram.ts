import { z } from "zod";
import { deliveryReasonCodeSchema } from "./leads";
import { text } from "./text";

/** Telegram chat ids: integers that fit in 52 bits; groups are negative. */
export const chatIdSchema = z
  .number({ message: "Input should be a valid integer" })
  .int({ message: "Input should be a valid integer" })
  .safe();

/** A chat id typed into a form: empty is none; otherwise it must be what chatIdSchema accepts. */
export const chatIdTextSchema = z
  .string()
  .trim()
  .regex(/^(-?\d+)?$/, { message: "Input should be a valid integer" })
  .transform((value) => (value === "" ? null : Number(value)))
  .pipe(chatIdSchema.nullable());

const welcomeMessage = text().max(4000, { message: "String should have at most 4000 characters" });
const botToken = text().trim().min(1, { message: "String should have at least 1 character" }).max(200);

export const updatesViaSchema = z.enum(["webhook", "polling", "none"]);
export type UpdatesVia = z.infer<typeof updatesViaSchema>;

/** Why polling stopped until the owner changes something; `message` is Telegram's (or Leadgram's) words. */
export const pollingErrorSchema = z.object({
  code: z.enum(["conflict", "token_revoked", "token_unreadable"]),
  message: z.string(),
});
export type PollingErrorDto = z.infer<typeof pollingErrorSchema>;

export const integrationSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  bot_username: z.string().nullable(),
  owner_chat_id: z.number().nullable(),
  webhook_url: z.string().nullable(),
  is_webhook_active: z.boolean(),
  is_active: z.boolean(),
  welcome_message: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  bot_token_masked: z.string().nullable(),
  /** Additive to the spec: how the bot's updates reach the server (lib/telegram/polling/). */
  updates_via: updatesViaSchema,
  polling_error: pollingErrorSchema.nullable(),
});
export type IntegrationDto = z.infer<typeof integrationSchema>;

export const createIntegrationSchema = z.object({
  bot_token: botToken,
  owner_chat_id: chatIdSchema.nullish(),
  welcome_message: welcomeMessage.nullish(),
});
export type CreateIntegrationRequest = z.input<typeof createIntegrationSchema>;

export const updateIntegrationSchema = z
  .object({
    bot_token: botToken.optional(),
    owner_chat_id: chatIdSchema.nullable().optional(),
    is_active: z.boolean().optional(),
    welcome_message: welcomeMessage.nullable().optional(),
  })
  .strict();
export type UpdateIntegrationRequest = z.input<typeof updateIntegrationSchema>;

/** The connect form: the request's fields as typed (the chat id as text). */
export const setupFormSchema = z.object({
  bot_token: botToken,
  owner_chat_id: chatIdTextSchema,
  welcome_message: welcomeMessage.trim(),
});
export const replaceTokenFormSchema = z.object({ bot_token: botToken });
export const chatIdFormSchema = z.object({ owner_chat_id: chatIdTextSchema });

export const testMessageRequestSchema = z.object({ chat_id: chatIdSchema.nullish() });
/** `reason_code` says why the message was not sent (null when it was): the page picks its advice from it. */
export const testMessageResponseSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  reason_code: deliveryReasonCodeSchema.nullable(),
  chat_id: z.number().nullable(),
});
export type TestMessageResponse = z.infer<typeof testMessageResponseSchema>;

export const webhookUrlResponseSchema = z.object({
  webhook_url: z.string(),
  is_configured: z.boolean(),
  message: z.string().nullable(),
});
export type WebhookUrlResponse = z.infer<typeof webhookUrlResponseSchema>;

export const setWebhookRequestSchema = z.object({ webhook_url: text().trim().max(2048).nullish() });
export const webhookActionResponseSchema = z.object({ success: z.boolean(), message: z.string() });
export type WebhookActionResponse = z.infer<typeof webhookActionResponseSchema>;

export const telegramChatSchema = z.object({
  chat_id: z.number(),
  type: z.string(),
  title: z.string().nullable(),
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  last_seen_at: z.string(),
  is_owner_chat: z.boolean(),
});
export type TelegramChatDto = z.infer<typeof telegramChatSchema>;
export const telegramChatListSchema = z.object({ items: z.array(telegramChatSchema) });

export const connectLinkResponseSchema = z.object({ id: z.string(), url: z.string(), expires_at: z.string() });
export type ConnectLinkResponse = z.infer<typeof connectLinkResponseSchema>;

/** Whether a connect link has been used: "connected" names the chat that pressed Start with it. */
export const connectLinkStatusSchema = z.object({
  status: z.enum(["waiting", "connected", "expired"]),
  chat_id: z.number().nullable(),
});
export type ConnectLinkStatus = z.infer<typeof connectLinkStatusSchema>;
