import { notFound } from "../bot-api-error";
import type { ApiParams } from "../api-params";
import type { BotRecord, SandboxState } from "../state";
import { answerCallbackQuery } from "./answer-callback-query";
import { editMessageReplyMarkup, editMessageText } from "./edit-message";
import { getMe } from "./get-me";
import { getUpdates } from "./get-updates";
import type { BotApiMethod, MethodResult } from "./method-context";
import { sendMessage } from "./send-message";
import { deleteWebhook, getWebhookInfo, setWebhook } from "./webhook";

// Telegram matches method names case-insensitively.
const METHODS: ReadonlyMap<string, BotApiMethod> = new Map<string, BotApiMethod>([
  ["getme", getMe],
  ["sendmessage", sendMessage],
  ["editmessagetext", editMessageText],
  ["editmessagereplymarkup", editMessageReplyMarkup],
  ["answercallbackquery", answerCallbackQuery],
  ["getupdates", getUpdates],
  ["setwebhook", setWebhook],
  ["deletewebhook", deleteWebhook],
  ["getwebhookinfo", getWebhookInfo],
]);

export const SUPPORTED_METHODS = [
  "getMe",
  "sendMessage",
  "editMessageText",
  "editMessageReplyMarkup",
  "answerCallbackQuery",
  "getUpdates",
  "setWebhook",
  "deleteWebhook",
  "getWebhookInfo",
];

export async function callMethod(
  state: SandboxState,
  bot: BotRecord,
  method: string,
  params: ApiParams,
  via: "api" | "webhook_reply",
  signal: AbortSignal,
): Promise<MethodResult> {
  const implementation = METHODS.get(method.toLowerCase());
  if (implementation === undefined) {
    throw notFound();
  }
  return implementation({ state, bot, params, via, signal });
}
