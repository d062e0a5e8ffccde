import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleBotApiRequest } from "./bot-api-handler";
import { handleControlRequest, type SandboxRuntime } from "./control-api";
import { sendJson } from "./http-responses";
import { DEFAULT_RATE_LIMITS, mergeRateLimits, type RateLimitPatch } from "./rate-limits";
import { DEFAULT_CALLBACK_QUERY_TIMEOUT_MS, SandboxState } from "./state";

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; the sandbox is meant for loopback only. */
  host?: string;
  /** Origin such as "http://127.0.0.1:3000" that webhook deliveries go to instead of the https URL's. */
  deliverTo?: string;
  /** Changes to Telegram's default flood limits, e.g. `{ enabled: false }`. */
  rateLimits?: RateLimitPatch;
  /** How long a webhook delivery may take before it fails with "Read timeout expired". */
  deliveryTimeoutMs?: number;
  /** How old a button press may be when answered (default 15 s, like Telegram). */
  callbackQueryTimeoutMs?: number;
}

export interface RunningSandbox {
  /** Base URL, usable as grammY's apiRoot and as the control API's base. */
  url: string;
  port: number;
  state: SandboxState;
  runtime: SandboxRuntime;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? "127.0.0.1";
  const state = new SandboxState(
    mergeRateLimits(DEFAULT_RATE_LIMITS, options.rateLimits),
    options.callbackQueryTimeoutMs ?? DEFAULT_CALLBACK_QUERY_TIMEOUT_MS,
  );
  const closing = new AbortController();
  const runtime: SandboxRuntime = {
    state,
    closing: closing.signal,
    delivery: { deliverTo: options.deliverTo, timeoutMs: options.deliveryTimeoutMs ?? 10_000, abort: closing.signal },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://sandbox.invalid");
    if (url.pathname.startsWith("/_sandbox/")) {
      await handleControlRequest(runtime, request, response, url);
    } else {
      await handleBotApiRequest(runtime, request, response, url);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A sandbox bug must surface in the test that hit it, not crash the process.
      if (!response.headersSent && !request.socket.destroyed) {
        sendJson(response, 500, { ok: false, error_code: 500, description: `Sandbox error: ${String(error)}` });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    runtime,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
