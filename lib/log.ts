import "server-only";
import pino from "pino";
import { redactBotTokens } from "@/lib/telegram/mask-bot-token";

/**
 * The process's logger. Every line passes through redactBotTokens on its way out, so a
 * bot token that reaches a log call by any path (an error message, a URL) is masked.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  hooks: { streamWrite: (line) => redactBotTokens(line) },
});
