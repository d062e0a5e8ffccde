import type { IncomingMessage, ServerResponse } from "node:http";
import { parseApiParams, readBody } from "./api-params";
import { BotApiError, internalServerError, notFound, tooManyRequests, unauthorized } from "./bot-api-error";
import { NGINX_BAD_GATEWAY_PAGE, type ActiveFault } from "./faults";
import { resetConnection, sendHtml, sendJson } from "./http-responses";
import { callMethod } from "./methods";
import type { SandboxState } from "./state";
import { botIdOfToken, isMalformedToken } from "./tokens";

export interface BotApiRuntime {
  state: SandboxState;
  /** Aborted when the sandbox shuts down, so hanging requests don't keep it alive. */
  closing: AbortSignal;
}

function sendError(state: SandboxState, response: ServerResponse, error: BotApiError): void {
  state.countResponse(error.errorCode);
  const retryAfter = error.parameters?.retry_after;
  // telegram-bot-api repeats retry_after in a Retry-After header.
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) };
  sendJson(response, error.errorCode, error.toEnvelope(), headers);
}

function reset(state: SandboxState, request: IncomingMessage): void {
  state.countResponse("reset");
  resetConnection(request);
}

/** Resolves after `ms`, or when the sandbox closes; `ms` undefined waits for the client or the sandbox. */
function stall(ms: number | undefined, request: IncomingMessage, closing: AbortSignal): Promise<"elapsed" | "gone"> {
  return new Promise((resolve) => {
    const done = (outcome: "elapsed" | "gone") => {
      clearTimeout(timer);
      closing.removeEventListener("abort", onClosing);
      request.socket.off("close", onClientGone);
      resolve(outcome);
    };
    const onClosing = () => done("gone");
    // A timed stall ignores the client leaving: a slow Telegram still sends the message.
    const onClientGone = () => {
      if (ms === undefined) {
        done("gone");
      }
    };
    const timer = ms === undefined ? undefined : setTimeout(() => done("elapsed"), ms);
    closing.addEventListener("abort", onClosing);
    request.socket.on("close", onClientGone);
  });
}

/** Plays an injected fault; returns true when the request has been fully answered by it. */
async function playFault(
  fault: ActiveFault,
  runtime: BotApiRuntime,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const { state } = runtime;
  switch (fault.kind) {
    case "internal_error":
      sendError(state, response, internalServerError());
      return true;
    case "bad_gateway":
      state.countResponse(502);
      sendHtml(response, 502, NGINX_BAD_GATEWAY_PAGE);
      return true;
    case "too_many_requests":
      state.stats.injected_too_many_requests += 1;
      sendError(state, response, tooManyRequests(fault.retry_after));
      return true;
    case "connection_reset":
      reset(state, request);
      return true;
    case "hang": {
      const outcome = await stall(fault.ms, request, runtime.closing);
      if (outcome === "gone" || fault.ms === undefined || fault.then === "reset") {
        reset(state, request);
        return true;
      }
      return false;
    }
  }
}

/** Serves `/bot<token>/<method>` like api.telegram.org, including injected faults and outages. */
export async function handleBotApiRequest(
  runtime: BotApiRuntime,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const { state } = runtime;
  const match = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
  if (match === null) {
    sendError(state, response, notFound());
    return;
  }
  const token = safeDecode(match[1] ?? "");
  const method = safeDecode(match[2] ?? "");
  state.stats.requests += 1;
  state.stats.by_method[method] = (state.stats.by_method[method] ?? 0) + 1;

  if (state.outage) {
    reset(state, request);
    return;
  }
  // Read the whole request first: a stalled call must still have its body once the client is gone.
  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    if (error instanceof BotApiError) {
      sendError(state, response, error);
    }
    return; // otherwise the client went away mid-request
  }
  const fault = state.faults.take(method, botIdOfToken(token));
  if (fault !== undefined && (await playFault(fault, runtime, request, response))) {
    return;
  }

  try {
    const params = parseApiParams(url.searchParams, request.headers["content-type"] ?? "", body);
    if (isMalformedToken(token)) {
      throw unauthorized("invalid token specified");
    }
    const bot = state.findBotByToken(token);
    if (bot === undefined) {
      throw unauthorized();
    }
    const { result, description } = await callMethod(
      state,
      bot,
      method,
      params,
      "api",
      requestSignal(runtime, response),
    );
    state.countResponse(200);
    sendJson(response, 200, description === undefined ? { ok: true, result } : { ok: true, result, description });
  } catch (error) {
    if (error instanceof BotApiError) {
      sendError(state, response, error);
      return;
    }
    throw error;
  }
}

/** Aborted when the sandbox closes or the client stops waiting for this answer. */
function requestSignal(runtime: BotApiRuntime, response: ServerResponse): AbortSignal {
  const clientGone = new AbortController();
  response.once("close", () => clientGone.abort());
  return AbortSignal.any([runtime.closing, clientGone.signal]);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
