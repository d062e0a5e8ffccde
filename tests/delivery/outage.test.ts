import { afterAll, beforeAll, expect, it } from "vitest";
import {
  call,
  countByName,
  deliveries,
  leadNames,
  namesInChatOrder,
  siteWithPrivateChat,
  sleep,
  submitLead,
  waitFor,
  waitForQueueDrained,
} from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * Telegram unreachable for a while: the form keeps accepting leads (acceptance never waits for
 * Telegram), the outbox holds them, and once Telegram is back every acknowledged lead reaches
 * the owner exactly once, in the order it was submitted.
 */

let stack: DeliveryStack;

beforeAll(async () => {
  stack = await startDeliveryStack();
});

afterAll(async () => {
  await stack?.stop();
});

it("leads accepted during a global outage are all delivered once, in order, after it", async () => {
  const { owner, bot, chatId } = await siteWithPrivateChat(stack);
  const names = leadNames("outage", 20);

  await stack.client.setOutage(true);
  const leadIds: string[] = [];
  for (const name of names) leadIds.push(await submitLead(stack, owner, name)); // each answered 201

  // Long enough for the head of the queue to fail a few times against the reset connections.
  await sleep(3_000);
  const during = deliveries(stack, owner.tenantId);
  expect(during.map((row) => row.leadId)).toEqual(leadIds);
  expect(during.filter((row) => row.status === "sent" || row.status === "failed")).toEqual([]);
  expect(during[0]).toMatchObject({ status: "retrying", lastError: "Telegram API unavailable" });
  expect(during[0]?.attempts).toBeGreaterThanOrEqual(2);
  // The queue keeps its order: leads behind the head wait their turn, untried.
  for (const row of during.slice(1)) expect(["pending", "retrying"]).toContain(row.status);
  expect(await stack.client.messages(bot.id)).toEqual([]);

  await stack.client.setOutage(false);
  // The head's next retry is at most ~4 s away, then one message a second to a private chat.
  const delivered = await waitForQueueDrained(stack, owner.tenantId, 60_000);
  expect(delivered.map((row) => row.status)).toEqual(names.map(() => "sent"));

  await sleep(1_500); // nothing more arrives afterwards
  const messages = await stack.client.messages(bot.id, { chatId });
  expect(messages).toHaveLength(20);
  expect(countByName(messages, names)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));
  expect(namesInChatOrder(messages, names)).toEqual(names);
});

it("a queue held by a retry, then switched off, is skipped in one go once the head is", async () => {
  const { owner, bot } = await siteWithPrivateChat(stack);
  await stack.client.setOutage(true);
  for (const name of leadNames("held", 10)) await submitLead(stack, owner, name);
  await waitFor(
    "the head to be retrying",
    () => (deliveries(stack, owner.tenantId)[0]?.status === "retrying" ? true : undefined),
    10_000,
  );

  const off = await call(stack, "PATCH", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { is_active: false },
  });
  expect(off.status).toBe(200);
  await stack.client.setOutage(false);

  await waitFor(
    "the head to be skipped",
    () => (deliveries(stack, owner.tenantId)[0]?.status === "skipped" ? true : undefined),
    15_000,
  );
  // A skipped lead does not hold the ones behind it: they follow at once, not one per poll (1 s).
  const rows = await waitFor(
    "every lead to be skipped",
    () => {
      const all = deliveries(stack, owner.tenantId);
      return all.every((row) => row.status === "skipped") ? all : undefined;
    },
    2_000,
  );
  expect(rows).toHaveLength(10);
  expect(await stack.client.messages(bot.id)).toEqual([]);
});
