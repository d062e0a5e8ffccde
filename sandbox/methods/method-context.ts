import type { ApiParams } from "../api-params";
import type { BotRecord, SandboxState } from "../state";

export interface MethodContext {
  state: SandboxState;
  bot: BotRecord;
  params: ApiParams;
  /** A normal request, or a method the app put in its webhook response. */
  via: "api" | "webhook_reply";
  /** Aborted when the client goes away or the sandbox closes; ends a held long poll. */
  signal: AbortSignal;
}

/** A successful answer; Telegram adds a description to some (e.g. "Webhook was set"). */
export interface MethodResult {
  result: unknown;
  description?: string;
}

/** Most methods answer at once; a long poll (getUpdates) answers later. */
export type BotApiMethod = (context: MethodContext) => MethodResult | Promise<MethodResult>;
