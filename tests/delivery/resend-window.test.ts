import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptsOf,
  call,
  deliveryOfLead,
  leadNames,
  siteWithPrivateChat,
  submitLead,
  waitFor,
  type DeliveryRow,
} from "./harness";
import { startDeliveryStack, type DeliveryStack } from "./stack";

/**
 * A resend opens a new 24-hour retry window: resending a lead from last week survives a
 * passing Telegram error like a new lead does, instead of giving up at the first one
 * because the lead itself is older than the window.
 */

let stack: DeliveryStack;

beforeAll(async () => {
  stack = await startDeliveryStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Moves every stored time of the lead and its delivery `hours` into the past, as if it had been stored then. */
function ageLead(leadId: string, hours: number): void {
  const database = new Database(stack.dbPath);
  try {
    database.pragma("busy_timeout = 5000");
    for (const [table, key] of [
      ["Lead", "id"],
      ["Delivery", "leadId"],
    ] as const) {
      const columns = (
        database.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[]
      ).filter((column) => column.type === "DATETIME");
      const shifts = columns
        .map(({ name }) => `"${name}" = strftime('%Y-%m-%dT%H:%M:%f+00:00', "${name}", '-${hours} hours')`)
        .join(", ");
      database.prepare(`UPDATE "${table}" SET ${shifts} WHERE "${key}" = ?`).run(leadId);
    }
  } finally {
    database.close();
  }
}

const finished = (leadId: string) => () => {
  const row = deliveryOfLead(stack, leadId);
  return row.status === "sent" || row.status === "failed" ? row : undefined;
};

describe("resending an old lead", () => {
  it("is retried after a transient error and sent, not given up", async () => {
    const { owner, bot, chatId } = await siteWithPrivateChat(stack);
    const [name = ""] = leadNames("old", 1);
    const leadId = await submitLead(stack, owner, name);
    await waitFor(`${name} to be sent`, finished(leadId));
    ageLead(leadId, 25);

    await stack.client.injectFault({ kind: "internal_error", times: 1, method: "sendMessage", bot_id: bot.id });
    const resent = await call(stack, "POST", `/api/v1/leads/${leadId}/resend`, { token: owner.token });
    expect(resent.status).toBe(200);

    // The 500, then its retry after a backoff of about a second.
    const delivery: DeliveryRow = await waitFor(`${name} to be sent again`, finished(leadId), 30_000);
    expect(delivery).toMatchObject({ status: "sent", lastError: null, chatId });
    expect(attemptsOf(stack, delivery.id).map(({ outcome, errorCode }) => ({ outcome, errorCode }))).toEqual([
      { outcome: "sent", errorCode: null },
      { outcome: "retrying", errorCode: 500 },
      { outcome: "sent", errorCode: null },
    ]);
    expect(
      (await stack.client.messages(bot.id, { chatId })).filter((message) => message.text.includes(name)),
    ).toHaveLength(2);
  });
});
