import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptsOf,
  countByName,
  deliveries,
  deliveryOfLead,
  leadNames,
  namesInChatOrder,
  siteWithGroup,
  siteWithPrivateChat,
  sleep,
  submitLead,
  waitFor,
  waitForQueueDrained,
} from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * The outbox survives the server: leads acknowledged before a crash or a restart are
 * delivered by the next server on the same database, each exactly once and in order.
 * The tests run one after another: each restarts the one server of this file.
 */

let stack: DeliveryStack;

beforeAll(async () => {
  stack = await startDeliveryStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe("a restart while deliveries are pending", () => {
  for (const how of ["crash", "graceful"] as const) {
    it(`${how === "crash" ? "SIGKILL" : "SIGTERM"}: all 10 leads are delivered once, in order, by the next server`, async () => {
      // A group: after the restart the ten go out at once instead of one a second.
      const { owner, bot, chatId } = await siteWithGroup(stack);
      const names = leadNames(how, 10);

      await stack.client.setOutage(true);
      const leadIds: string[] = [];
      for (const name of names) leadIds.push(await submitLead(stack, owner, name));
      await waitFor(
        "the head of the queue to have failed once",
        () => (deliveries(stack, owner.tenantId)[0]?.attempts ?? 0) >= 1 || undefined,
        10_000,
      );
      expect(deliveries(stack, owner.tenantId).filter((row) => row.status === "sent")).toEqual([]);

      await stack.restartApp(how, () => stack.client.setOutage(false));

      const delivered = await waitForQueueDrained(stack, owner.tenantId, 30_000);
      expect(delivered.map((row) => row.leadId)).toEqual(leadIds);
      expect(delivered.map((row) => row.status)).toEqual(names.map(() => "sent"));
      await sleep(1_500); // nothing more arrives afterwards
      const messages = await stack.client.messages(bot.id, { chatId });
      expect(messages).toHaveLength(10);
      expect(countByName(messages, names)).toEqual(Object.fromEntries(names.map((name) => [name, 1])));
      expect(namesInChatOrder(messages, names)).toEqual(names);
    });
  }
});

describe("a graceful restart while Telegram is still answering a send", () => {
  it("SIGTERM during an in-flight sendMessage: the lead is still delivered exactly once", async () => {
    const { owner, bot, chatId } = await siteWithPrivateChat(stack);
    // A slow Telegram: the call takes 3 s, and the message is sent whether or not the
    // caller is still there to hear the answer.
    await stack.client.injectFault({ kind: "hang", ms: 3_000, then: "process", method: "sendMessage", bot_id: bot.id });
    const [name = ""] = leadNames("inflight", 1);

    const leadId = await submitLead(stack, owner, name);
    await waitFor(
      "the sendMessage call to reach the sandbox",
      async () => ((await stack.client.listFaults()).length === 0 ? true : undefined),
      10_000,
      20,
    );
    // A deploy: the server is asked to stop while the send is in flight.
    await stack.restartApp("graceful");

    const delivery = await waitFor("the delivery to finish", () => {
      const row = deliveryOfLead(stack, leadId);
      return ["sent", "failed"].includes(row.status) ? row : undefined;
    });
    expect(delivery.status).toBe("sent");
    await sleep(4_000); // past the stalled call's end, and any resend
    const messages = await stack.client.messages(bot.id, { chatId });
    // The first server's send was cut off by its exit and the next server sent the lead again.
    const history = JSON.stringify({
      delivery: deliveryOfLead(stack, leadId),
      attempts: attemptsOf(stack, delivery.id),
      sentAt: messages.map((m) => m.sent_at),
    });
    expect(countByName(messages, [name]), history).toEqual({ [name]: 1 });
  });
});
