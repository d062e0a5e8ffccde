import "server-only";
import pg from "pg";
import { log } from "@/lib/log";

/** Waits before each new attempt after a connection is lost: quickly at first, then gently. */
const RECONNECT_DELAYS_MS = [100, 1_000, 5_000];

type Handlers = {
  onNotification: (payload: string) => void;
  /**
   * Runs each time LISTEN has taken effect: the first time and after every reconnect.
   * Whatever was notified while no connection listened is lost, so this is where a
   * listener catches up (a cache forgets everything).
   */
  onListening: () => void;
};

export type Listener = { stop: () => Promise<void> };

/**
 * Keeps one connection of its own LISTENing on `channel` (a pooled connection cannot: LISTEN
 * belongs to a session) and replaces it whenever it breaks or ends, until stopped.
 */
export function listenForever(databaseUrl: string, channel: string, handlers: Handlers): Listener {
  let failures = 0;
  let stopped = false;
  let current: pg.Client | undefined;
  const connect = () => {
    if (stopped) return;
    // keepAlive: a connection whose peer vanished is noticed and replaced, not trusted forever.
    // Named after its channel, so pg_stat_activity tells what the connection is for.
    const client = new pg.Client({ connectionString: databaseUrl, keepAlive: true, application_name: channel });
    current = client;
    let lost = false;
    const reconnect = (error?: Error) => {
      if (lost || stopped) return;
      lost = true;
      log.warn({ err: error, channel }, "lost the PostgreSQL notification connection; reconnecting");
      client.end().catch(() => undefined);
      const delay = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)];
      failures += 1;
      setTimeout(connect, delay).unref();
    };
    client.on("error", reconnect);
    client.on("end", () => reconnect());
    client.on("notification", (message) => {
      if (message.channel === channel && message.payload) handlers.onNotification(message.payload);
    });
    client
      .connect()
      .then(() => client.query(`LISTEN "${channel}"`))
      .then(() => {
        failures = 0;
        handlers.onListening();
      }, reconnect);
  };
  connect();
  return {
    stop: async () => {
      stopped = true;
      await current?.end().catch(() => undefined);
    },
  };
}
