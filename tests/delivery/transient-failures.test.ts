import { afterAll, beforeAll, describe, it, vi } from "vitest";
import {
  attemptsOf,
  countByName,
  deliveryOfLead,
  leadNames,
  siteWithPrivateChat,
  submitLead,
  waitFor,
} from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * Telegram's passing trouble: a 500, nginx's 502 page, a reset connection and a 429. Each is
 * retried until Telegram takes the message, and the owner gets the lead exactly once. Faults
 * are injected per bot, so the cases run side by side.
 */

let stack: DeliveryStack;
/** When the sandbox played each injected fault, by bot: the time the app was refused. */
const faultTimes: Array<{ botId: number | undefined; kind: string; at: number }> = [];

beforeAll(async () => {
  stack = await startDeliveryStack();
  const faults = stack.sandbox.state.faults;
  const take = faults.take.bind(faults);
  vi.spyOn(faults, "take").mockImplementation((method, botId) => {
    const fault = take(method, botId);
    if (fault) faultTimes.push({ botId, kind: fault.kind, at: performance.timeOrigin + performance.now() });
    return fault;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
});

describe.concurrent("a transient failure is retried and the lead is delivered exactly once", () => {
  const cases = [
    { kind: "internal_error", errorCode: 500 },
    { kind: "bad_gateway", errorCode: null },
    { kind: "connection_reset", errorCode: null },
  ] as const;

  for (const { kind, errorCode } of cases) {
    it(`${kind} twice, then OK`, async ({ expect }) => {
      const { owner, bot, chatId } = await siteWithPrivateChat(stack);
      await stack.client.injectFault({ kind, times: 2, method: "sendMessage", bot_id: bot.id });
      const [name = ""] = leadNames(kind, 1);

      const leadId = await submitLead(stack, owner, name);
      const delivery = await waitFor(`${name} to be sent`, () => {
        const row = deliveryOfLead(stack, leadId);
        return row.status === "sent" || row.status === "failed" ? row : undefined;
      });

      expect(delivery).toMatchObject({ status: "sent", attempts: 3, lastError: null, chatId });
      const attempts = attemptsOf(stack, delivery.id);
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(["retrying", "retrying", "sent"]);
      expect(attempts.map((attempt) => attempt.errorCode)).toEqual([errorCode, errorCode, null]);
      for (const attempt of attempts.slice(0, 2)) expect(attempt.description).toEqual(expect.any(String));

      // Nothing more arrives later: exactly one notification for the one lead.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const messages = await stack.client.messages(bot.id, { chatId });
      expect(messages).toHaveLength(1);
      expect(countByName(messages, [name])).toEqual({ [name]: 1 });
    });
  }

  it("too_many_requests with retry_after 2: the resend waits at least 2 s", async ({ expect }) => {
    const { owner, bot, chatId } = await siteWithPrivateChat(stack);
    await stack.client.injectFault({
      kind: "too_many_requests",
      retry_after: 2,
      times: 1,
      method: "sendMessage",
      bot_id: bot.id,
    });
    const [name = ""] = leadNames("flood", 1);

    const leadId = await submitLead(stack, owner, name);
    const [message] = await stack.client.waitForMessages(bot.id, { chatId, timeoutMs: 15_000 });
    const refusedAt = faultTimes.find((fault) => fault.botId === bot.id && fault.kind === "too_many_requests")?.at;
    expect(refusedAt).toBeDefined();
    const waitedMs = (message?.sent_at ?? 0) - (refusedAt ?? 0);
    expect(waitedMs).toBeGreaterThanOrEqual(2_000);
    expect(waitedMs).toBeLessThan(5_000);

    const delivery = await waitFor("the delivery to be recorded as sent", () => {
      const row = deliveryOfLead(stack, leadId);
      return row.status === "sent" ? row : undefined;
    });
    expect(delivery.attempts).toBe(2);
    expect(attemptsOf(stack, delivery.id).map(({ outcome, errorCode }) => ({ outcome, errorCode }))).toEqual([
      { outcome: "retrying", errorCode: 429 },
      { outcome: "sent", errorCode: null },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(countByName(await stack.client.messages(bot.id, { chatId }), [name])).toEqual({ [name]: 1 });
    expect(await stack.client.messages(bot.id, { chatId })).toHaveLength(1);
  });
});
