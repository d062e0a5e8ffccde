/** Entry point for code that starts the sandbox in-process (tests) or talks to a running one. */
export { startSandbox, type RunningSandbox, type SandboxOptions } from "./start-sandbox";
export { SandboxClient, SandboxError, type SandboxConfigView, type ButtonPress, type PressOutcome } from "./client";
export { DEFAULT_RATE_LIMITS, type RateLimitConfig, type RateLimitPatch, type RateRule } from "./rate-limits";
export type {
  SandboxState,
  SentMessageRecord,
  SandboxStats,
  DeliveryRecord,
  MessageEditRecord,
  CallbackQueryRecord,
  CallbackAnswerRecord,
} from "./state";
export type { BotView, ChatView } from "./control-views";
export type { DeliveryOutcome } from "./webhook-delivery";
export type { FaultSpecInput, ActiveFault } from "./faults";
export type { UpdateRequest } from "./updates";
