import "server-only";
import pino from "pino";

/** The process's logger. Telegram bot tokens are masked in every line (see redactBotTokens). */
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
});
