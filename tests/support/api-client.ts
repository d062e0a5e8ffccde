import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { SandboxClient } from "../../sandbox/client";
import "./provided-context";

export type ApiResponse<T = unknown> = { status: number; body: T; headers: Headers };

type RequestOptions = { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string };

/** A fresh client address per call site, so the login throttle of one test never blocks another. */
export function uniqueClientIp(): string {
  const bytes = randomUUID().replace(/-/g, "");
  return `198.18.${parseInt(bytes.slice(0, 2), 16)}.${parseInt(bytes.slice(2, 4), 16)}`;
}

/**
 * The one HTTP client of the test suites: a JSON call to the server at `appUrl` from a fresh
 * client address. The API suite calls it through `api()` (its server is provided by the
 * global set-up); the delivery suite passes the URL of the stack each file starts.
 */
export async function requestApi<T = any>(
  appUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { "x-forwarded-for": uniqueClientIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${appUrl}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // not JSON: leave the text for the assertion to show
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export const api = <T = any>(method: string, path: string, options: RequestOptions = {}) =>
  requestApi<T>(inject("appUrl"), method, path, options);

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@example.com`;

export type Account = {
  email: string;
  password: string;
  token: string;
  tenantId: string;
  siteKey: string;
  userId: string;
};

/** Signs up a new site owner on the server at `appUrl` and returns their API token. */
export async function signUpOwner(appUrl: string, siteName = "Test site"): Promise<Account> {
  const email = uniqueEmail("owner");
  const password = "correct horse battery";
  const registered = await requestApi(appUrl, "POST", "/api/v1/auth/register", {
    body: { email, password, site_name: siteName },
  });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const token = await requestApi(appUrl, "POST", "/api/v1/auth/token", { body: { email, password } });
  if (token.status !== 200) throw new Error(`token failed: ${token.status} ${JSON.stringify(token.body)}`);
  return {
    email,
    password,
    token: token.body.access_token,
    tenantId: registered.body.tenant.id,
    siteKey: registered.body.tenant.site_key,
    userId: registered.body.user.id,
  };
}

export const registerOwner = (siteName = "Test site") => signUpOwner(inject("appUrl"), siteName);

/** Connects a bot to the owner's site with `ownerChatId` as the notification chat. */
export async function connectBot(appUrl: string, owner: Account, botToken: string, ownerChatId: number): Promise<void> {
  const created = await requestApi(appUrl, "POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: botToken, owner_chat_id: ownerChatId },
  });
  if (created.status !== 201) throw new Error(`connect bot: ${created.status} ${JSON.stringify(created.body)}`);
}

/** Adds a user with `role` to the owner's site and returns their API token. */
export async function addMember(owner: Account, role: "admin" | "member" | "site_owner"): Promise<Account> {
  const email = uniqueEmail(role);
  const password = "member password 1";
  const created = await api("POST", "/api/v1/tenant/members", { token: owner.token, body: { email, password, role } });
  if (created.status !== 201) throw new Error(`add member failed: ${created.status} ${JSON.stringify(created.body)}`);
  const token = await api("POST", "/api/v1/auth/token", { body: { email, password } });
  return {
    email,
    password,
    token: token.body.access_token,
    tenantId: owner.tenantId,
    siteKey: owner.siteKey,
    userId: created.body.user_id,
  };
}

export const sandbox = () => new SandboxClient(inject("sandboxUrl"));

/** A sandbox bot with a private chat whose user has started it: what an owner brings. */
export async function newBotWithChat(label = "leads") {
  const client = sandbox();
  const bot = await client.createBot({ username: `${label}_${randomUUID().slice(0, 8)}_bot` });
  const chat = await client.createPrivateChat({ first_name: "Owner", username: `owner_${randomUUID().slice(0, 6)}` });
  return { bot, chat, client };
}
