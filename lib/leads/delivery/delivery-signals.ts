import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { listenForever, type Listener } from "@/lib/db/pg-listener";
import { log } from "@/lib/log";

/**
 * On PostgreSQL the process that accepts a lead (or a change of state, or of a bot) is often
 * not the one that sends: a web instance with RUN_DELIVERY=false, or another server. Each
 * such signal is a NOTIFY that every process running delivery LISTENs for, this one
 * included, so the lane starts within milliseconds wherever its sender runs. A lost
 * notification costs only time: the dispatcher's poll (1 s) and the pollers' scan (5 s)
 * find the same work.
 */
export const OUTBOX_CHANNEL = "leadgram_outbox";
export const POLLING_CHANNEL = "leadgram_polling";
type Channel = typeof OUTBOX_CHANNEL | typeof POLLING_CHANNEL;

const pending = new Map<Channel, Set<string>>();

/** Notifies `id` on `channel`; the ids of one turn of the event loop go in one statement. */
export function announce(channel: Channel, id: string): void {
  let ids = pending.get(channel);
  if (ids) return void ids.add(id);
  ids = new Set([id]);
  pending.set(channel, ids);
  setImmediate(() => {
    pending.delete(channel);
    db().$executeRaw`SELECT pg_notify(${channel}, id) FROM unnest(${[...ids]}::text[]) AS id`.catch((error: unknown) =>
      log.warn({ err: error, channel }, "could not notify the delivery processes; their poll will find the work"),
    );
  });
}

/** Starts listening for both signals; the handle stops it (a draining worker). */
export function listenForDeliverySignals(handlers: {
  wake: (tenantId: string) => void;
  pollingChanged: (integrationId: string) => void;
}): Listener[] {
  const { databaseUrl } = config();
  // Nothing to catch up on after a reconnect: the poll and the scan look at everything.
  const onListening = () => undefined;
  return [
    listenForever(databaseUrl, OUTBOX_CHANNEL, { onNotification: handlers.wake, onListening }),
    listenForever(databaseUrl, POLLING_CHANNEL, { onNotification: handlers.pollingChanged, onListening }),
  ];
}
