import "server-only";
import { db, type Db } from "@/lib/db/client";
import type { Lead, LeadStateChange } from "@/lib/db/generated/sqlite/client";
import type { LeadActor, LeadStateSource } from "@/lib/schemas/leads";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** A Telegram user as an update names them (a press of a button). */
export type TelegramUser = { id: number | bigint; firstName: string; lastName?: string; username?: string };

/** Who asks for a change of state, and from where. */
export type StateActor =
  | { source: "web"; userId: string }
  | {
      source: "telegram";
      telegramUser: TelegramUser;
      /** The site member who linked this Telegram account, when one did. */
      userId?: string;
    };

/** The actor as stored beside the lead and in its history: a snapshot, so it reads the same after they leave. */
export type ActorSnapshot = {
  source: LeadStateSource;
  userId: string | null;
  telegramUserId: bigint | null;
  telegramUsername: string | null;
  name: string;
};

/** A member is named by their email (accounts have no other name); a Telegram user by their first and last name. */
export async function actorSnapshot(actor: StateActor, client: Pick<Tx, "user"> = db()): Promise<ActorSnapshot> {
  if (actor.source === "web") {
    const user = await client.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
    return { source: "web", userId: actor.userId, telegramUserId: null, telegramUsername: null, name: user.email };
  }
  const { id, firstName, lastName, username } = actor.telegramUser;
  return {
    source: "telegram",
    userId: actor.userId ?? null,
    telegramUserId: BigInt(id),
    telegramUsername: username ?? null,
    name: [firstName, lastName].filter(Boolean).join(" "),
  };
}

/** Whether the lead is held by this actor: the same Telegram user, or the same member (from the inbox or a linked account). */
export function holds(lead: Lead, actor: ActorSnapshot): boolean {
  if (actor.telegramUserId !== null && lead.takenByTelegramUserId === actor.telegramUserId) return true;
  return actor.userId !== null && lead.takenByUserId === actor.userId;
}

function actorDto(
  name: string,
  telegramUserId: bigint | null,
  telegramUsername: string | null,
  userId: string | null,
): LeadActor {
  return {
    name,
    telegram_user_id: telegramUserId === null ? null : Number(telegramUserId),
    telegram_username: telegramUsername,
    user_id: userId,
  };
}

export function takenByDto(lead: Lead): LeadActor | null {
  if (lead.takenByName === null) return null;
  return actorDto(lead.takenByName, lead.takenByTelegramUserId, lead.takenByTelegramUsername, lead.takenByUserId);
}

export function changedByDto(change: LeadStateChange): LeadActor {
  return actorDto(change.actorName, change.actorTelegramUserId, change.actorTelegramUsername, change.actorUserId);
}
