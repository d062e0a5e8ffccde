import { afterAll, beforeAll, describe, it } from "vitest";
import { generateToken } from "../../sandbox/tokens";
import {
  attemptsOf,
  call,
  connectBot,
  countByName,
  deliveryOfLead,
  leadNames,
  newBot,
  registerOwner,
  siteWithGroup,
  siteWithPrivateChat,
  sleep,
  submitLead,
  waitFor,
  type DeliveryRow,
} from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * Refusals that waiting does not change end the delivery at once, as `failed` with Telegram's
 * own words; a group that became a supergroup is followed instead. Every case has its own
 * site, bot and chat, so they run side by side.
 */

let stack: DeliveryStack;

beforeAll(async () => {
  stack = await startDeliveryStack();
});

afterAll(async () => {
  await stack?.stop();
});

function waitUntilFinished(leadId: string): Promise<DeliveryRow> {
  return waitFor(`lead ${leadId}'s delivery to finish`, () => {
    const row = deliveryOfLead(stack, leadId);
    return ["sent", "failed", "skipped"].includes(row.status) ? row : undefined;
  });
}

describe.concurrent("permanent refusals", () => {
  it("a chat that blocked the bot: failed with Telegram's reason, and not retried later", async ({ expect }) => {
    const { owner, bot, chatId } = await siteWithPrivateChat(stack);
    await stack.client.blockBot(chatId, bot.id);

    const leadId = await submitLead(stack, owner, leadNames("blocked", 1)[0] ?? "");
    const delivery = await waitUntilFinished(leadId);
    expect(delivery).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "Forbidden: bot was blocked by the user",
    });
    expect(
      attemptsOf(stack, delivery.id).map(({ outcome, errorCode, description }) => ({
        outcome,
        errorCode,
        description,
      })),
    ).toEqual([{ outcome: "failed", errorCode: 403, description: "Forbidden: bot was blocked by the user" }]);

    // Even once the user unblocks the bot, the failed lead stays failed: nobody retries it on
    // their own (a resend is the owner's decision). Longer than a first backoff and a poll.
    await stack.client.unblockBot(chatId, bot.id);
    await sleep(3_000);
    expect(deliveryOfLead(stack, leadId)).toMatchObject({ status: "failed", attempts: 1 });
    expect(attemptsOf(stack, delivery.id)).toHaveLength(1);
    expect(await stack.client.messages(bot.id)).toEqual([]);
  });

  it("an unknown chat id: failed with 'Bad Request: chat not found'", async ({ expect }) => {
    const owner = await registerOwner(stack);
    const bot = await newBot(stack);
    await connectBot(stack, owner, bot.token, 999_999_001);

    const leadId = await submitLead(stack, owner, leadNames("nochat", 1)[0] ?? "");
    const delivery = await waitUntilFinished(leadId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastError: "Bad Request: chat not found" });
    expect(attemptsOf(stack, delivery.id).map(({ outcome, errorCode }) => ({ outcome, errorCode }))).toEqual([
      { outcome: "failed", errorCode: 400 },
    ]);
    await sleep(2_500);
    expect(deliveryOfLead(stack, leadId)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await stack.client.messages(bot.id)).toEqual([]);
  });

  it("a revoked token: failed with Telegram's 'Unauthorized'", async ({ expect }) => {
    const { owner, bot } = await siteWithPrivateChat(stack);
    // The owner revokes the token in @BotFather: the bot lives on under a new token and the
    // stored one is unknown to Telegram. The control API has no endpoint for this, so the
    // in-process sandbox's state is changed directly.
    const record = stack.sandbox.state.bots.get(bot.id);
    if (!record) throw new Error("the sandbox lost the bot");
    record.token = generateToken(bot.id);

    const leadId = await submitLead(stack, owner, leadNames("revoked", 1)[0] ?? "");
    const delivery = await waitUntilFinished(leadId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastError: "Unauthorized" });
    expect(attemptsOf(stack, delivery.id).map(({ outcome, errorCode }) => ({ outcome, errorCode }))).toEqual([
      { outcome: "failed", errorCode: 401 },
    ]);
    await sleep(2_500);
    expect(deliveryOfLead(stack, leadId)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await stack.client.messages(bot.id)).toEqual([]);
  });
});

describe.concurrent("a group upgraded to a supergroup", () => {
  it("the next lead goes to the supergroup, which becomes the integration's chat", async ({ expect }) => {
    const { owner, bot, chatId: groupId } = await siteWithGroup(stack);
    const { migrate_to_chat_id: supergroupId } = await stack.client.migrateToSupergroup(groupId);
    const [first = "", second = ""] = leadNames("migrated", 2);

    const firstId = await submitLead(stack, owner, first);
    const delivery = await waitUntilFinished(firstId);
    expect(delivery).toMatchObject({ status: "sent", chatId: supergroupId });
    expect(
      attemptsOf(stack, delivery.id).map(({ outcome, errorCode, description }) => ({
        outcome,
        errorCode,
        description,
      })),
    ).toEqual([
      { outcome: "retrying", errorCode: 400, description: "Bad Request: group chat was upgraded to a supergroup chat" },
      { outcome: "sent", errorCode: null, description: null },
    ]);

    const integration = await call(stack, "GET", "/api/v1/telegram/integration", { token: owner.token });
    expect(integration.status).toBe(200);
    expect(integration.body.owner_chat_id).toBe(supergroupId);

    // Later leads go straight to the supergroup.
    const secondId = await submitLead(stack, owner, second);
    expect(await waitUntilFinished(secondId)).toMatchObject({ status: "sent", attempts: 1, chatId: supergroupId });

    const inSupergroup = await stack.client.messages(bot.id, { chatId: supergroupId });
    expect(countByName(inSupergroup, [first, second])).toEqual({ [first]: 1, [second]: 1 });
    expect(await stack.client.messages(bot.id, { chatId: groupId })).toEqual([]);
  });
});
