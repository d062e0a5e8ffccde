// What the lead bench submits, and how it finds each submission's message in the sandbox.
import type { SandboxClient, SentMessageRecord } from "../sandbox/client";
import { sleep } from "./load";

export const USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A realistic form submission; `tag` (phase.tenant.seq) lets the bench find its Telegram message. */
export function leadBody(tag: string, seq: number): string {
  return JSON.stringify({
    name: `Bench #${tag}#`,
    email: `lead${seq}@example.com`,
    phone: "+7 900 123-45-67",
    message: "Hello! I would like a quote for three units with delivery next week. Please call after 6pm.",
    page: "https://shop.example.com/contact",
    utm_source: "google",
    utm_campaign: "spring_sale",
    budget: "1000-5000",
  });
}
export const TAG_PATTERN = /#([A-Za-z0-9]+)\.(\d+)\.(\d+)#/;

export function parseTag(text: string): { phase: string; tenant: number; seq: number } | null {
  const match = TAG_PATTERN.exec(text);
  return match ? { phase: match[1] ?? "", tenant: Number(match[2]), seq: Number(match[3]) } : null;
}

export const leadUrl = (base: string, siteKey: string) => new URL(`/api/v1/public/leads/${siteKey}`, base);

/** Waits until the sandbox has recorded `count` messages with this phase's tag since `since`. */
export async function waitForPhaseMessages(
  sb: SandboxClient,
  phase: string,
  count: number,
  since: number,
  timeoutMs: number,
): Promise<SentMessageRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = (await sb.allMessages({ since })).filter((message) => parseTag(message.text)?.phase === phase);
    if (messages.length >= count || Date.now() > deadline) return messages;
    await sleep(100);
  }
}
