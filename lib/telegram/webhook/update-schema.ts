import { z } from "zod";
import { cleanText } from "@/lib/schemas/text";

/**
 * The parts of a Telegram Update the receiver reads. Everything else passes through
 * unread, so a new kind of update from Telegram is accepted, not refused.
 */
// Names are stored for the chat picker, cleaned like a lead's fields (cleanText).
const chatText = z.string().transform(cleanText);
const chatSchema = z.object({
  id: z.number().int().safe(),
  type: chatText,
  title: chatText.optional(),
  username: chatText.optional(),
  first_name: chatText.optional(),
  last_name: chatText.optional(),
});
export type UpdateChat = z.infer<typeof chatSchema>;

export const updateSchema = z.object({
  update_id: z.number().int().nonnegative().safe(),
  message: z
    .object({
      chat: chatSchema,
      text: z.string().optional(),
      migrate_to_chat_id: z.number().int().safe().optional(),
    })
    .optional(),
  my_chat_member: z.object({ chat: chatSchema, new_chat_member: z.object({ status: z.string() }) }).optional(),
  /** A press of an inline button; `message` is absent when the message is too old for Telegram to send it. */
  callback_query: z
    .object({
      id: z.string(),
      from: z.object({
        id: z.number().int().safe(),
        first_name: chatText,
        last_name: chatText.optional(),
        username: chatText.optional(),
      }),
      message: z
        .object({ message_id: z.number().int().safe(), chat: z.object({ id: z.number().int().safe() }) })
        .optional(),
      data: z.string().optional(),
    })
    .optional(),
});
export type IncomingUpdate = z.infer<typeof updateSchema>;
export type CallbackQuery = NonNullable<IncomingUpdate["callback_query"]>;
