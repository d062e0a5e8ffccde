// The lead bench's tenants, set up through the app's API as real owners would.
import type { SandboxClient } from "../sandbox/client";

export type Tenant = { index: number; siteKey: string; tenantId: string; botId: number; chatId: number };

export async function callApi<T>(
  appUrl: string,
  method: string,
  urlPath: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const response = await fetch(`${appUrl}${urlPath}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Sign-up, API token, and a sandbox bot + private chat connected as the owner would. */
export async function registerTenant(appUrl: string, sb: SandboxClient, index: number, runId: string): Promise<Tenant> {
  const email = `bench-${runId}-${index}@example.com`;
  const password = "bench password 123";
  const registered = await callApi<{ tenant: { id: string; site_key: string } }>(
    appUrl,
    "POST",
    "/api/v1/auth/register",
    {
      email,
      password,
      site_name: `Bench site ${index}`,
    },
  );
  const { access_token: token } = await callApi<{ access_token: string }>(appUrl, "POST", "/api/v1/auth/token", {
    email,
    password,
  });
  const bot = await sb.createBot({ username: `bench_${runId}_${index}_bot` });
  const chat = await sb.createPrivateChat({ first_name: `Owner ${index}`, username: `owner_${runId}_${index}` });
  await callApi(
    appUrl,
    "POST",
    "/api/v1/telegram/integration",
    { bot_token: bot.token, owner_chat_id: chat.id },
    token,
  );
  return { index, siteKey: registered.tenant.site_key, tenantId: registered.tenant.id, botId: bot.id, chatId: chat.id };
}

export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
    }),
  );
  return results;
}
