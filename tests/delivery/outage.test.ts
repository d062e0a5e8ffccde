import { afterAll, beforeAll, expect, it } from "vitest";
import { countByName, deliveries, leadNames, namesInChatOrder, siteWithPrivateChat, sleep, submitLead, waitForQueueDrained } from "./harness";
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
