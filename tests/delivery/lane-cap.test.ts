import { afterAll, beforeAll, expect, it } from "vitest";
import { countByName, leadNames, namesInChatOrder, siteWithPrivateChat, submitLead, waitFor } from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * A sending process serves at most DELIVERY_MAX_LANES chats at once (dispatcher.ts), so its
 * memory is bounded by them and not by how many tenants are due: the others' leads wait in
 * the database for a lane to end, and every chat still gets its own once and in order.
 */

const MAX_LANES = 2;
let stack: DeliveryStack;

beforeAll(async () => {
  stack = await startDeliveryStack({ DELIVERY_MAX_LANES: String(MAX_LANES) });
});

afterAll(async () => {
  await stack?.stop();
});

it("serves at most DELIVERY_MAX_LANES chats at once; the others wait their turn, each in order", async () => {
  const sites = await Promise.all(Array.from({ length: 5 }, () => siteWithPrivateChat(stack)));
  const namesBySite = sites.map((_, index) => leadNames(`cap${index}`, 3));
  // Each chat's three leads at once, so its lane sends them in one run (a second apart).
  for (const [index, site] of sites.entries())
    for (const name of namesBySite[index]!) await submitLead(stack, site.owner, name);

  const chats = await waitFor(
    "three messages in each chat",
    async () => {
      const messages = await Promise.all(sites.map((site) => stack.client.messages(site.bot.id)));
      return messages.every((sent) => sent.length >= 3) ? messages : undefined;
    },
    60_000,
    250,
  );
  for (const [index, messages] of chats.entries()) {
    expect(namesInChatOrder(messages, namesBySite[index]!)).toEqual(namesBySite[index]);
    expect(countByName(messages, namesBySite[index]!)).toEqual(
      Object.fromEntries(namesBySite[index]!.map((name) => [name, 1])),
    );
  }

  // Each chat is served from its first send to its last: at no send were more being served.
  const spans = chats.map((messages) => ({
    from: Math.min(...messages.map((message) => message.sent_at)),
    to: Math.max(...messages.map((message) => message.sent_at)),
  }));
  const servedAt = (time: number) => spans.filter((span) => span.from <= time && time <= span.to).length;
  const mostAtOnce = Math.max(...spans.map((span) => servedAt(span.from)));
  expect(mostAtOnce, JSON.stringify(spans)).toBeLessThanOrEqual(MAX_LANES);
  expect(mostAtOnce).toBe(MAX_LANES);
});
