import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SandboxClient } from "./client";
import type { BotView, ChatView } from "./control-views";
import { startSandbox, type RunningSandbox, type SandboxOptions } from "./start-sandbox";

/** Helpers shared by the sandbox's own tests (not a test file itself). */

export interface BotApiReply {
  status: number;
  body: {
    ok: boolean;
    result?: unknown;
    error_code?: number;
    description?: string;
    parameters?: Record<string, number>;
  };
}

export interface SandboxFixture {
  sandbox: RunningSandbox;
  client: SandboxClient;
  bot: BotView;
  chat: ChatView;
  /** POSTs JSON to /bot<token>/<method>, the way grammY does. */
  call(method: string, params?: Record<string, unknown>, token?: string): Promise<BotApiReply>;
}

export async function startFixture(options: SandboxOptions = {}): Promise<SandboxFixture> {
  const sandbox = await startSandbox(options);
  const client = new SandboxClient(sandbox.url);
  const bot = await client.createBot({ username: "acme_leads_bot" });
  const chat = await client.createPrivateChat({ first_name: "Ann", username: "ann_lead" });
  const call = async (method: string, params: Record<string, unknown> = {}, token = bot.token) => {
    const response = await fetch(`${sandbox.url}/bot${token}/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(params),
    });
    return { status: response.status, body: (await response.json()) as BotApiReply["body"] };
  };
  return { sandbox, client, bot, chat, call };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Receiver {
  origin: string;
  requests: ReceivedRequest[];
  /** What the next requests are answered with; defaults to 200 "ok". */
  respond: (request: ReceivedRequest, response: ServerResponse) => void;
  close(): Promise<void>;
}

/** A tiny plain-http app standing in for the webhook endpoint. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    origin: "",
    requests: [],
    respond: (_request, response) => {
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end("ok");
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const received: ReceivedRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      };
      receiver.requests.push(received);
      receiver.respond(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
