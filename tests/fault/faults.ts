import type { SandboxClient } from "../../sandbox/client";

/**
 * Keeps a share of sendMessage calls failing while it runs: every `everyMs` it tops the
 * sandbox's fault queue up with two 429s (retry_after 1 and 2 s), a 500 and nginx's 502
 * page, each answering the next sendMessage of whichever bot comes next. The queue is only
 * topped up once the previous round has been used, so the share follows the sending pace.
 */
export function injectFaultsWhileRunning(client: SandboxClient, everyMs: number): { stop: () => Promise<number> } {
  let rounds = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      if ((await client.listFaults()).length === 0) {
        rounds += 1;
        await client.injectFault({ kind: "too_many_requests", method: "sendMessage", retry_after: 1 });
        await client.injectFault({ kind: "internal_error", method: "sendMessage" });
        await client.injectFault({ kind: "too_many_requests", method: "sendMessage", retry_after: 2 });
        await client.injectFault({ kind: "bad_gateway", method: "sendMessage" });
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    /** Stops topping up (what is queued stays) and returns how many rounds were injected. */
    async stop() {
      running = false;
      await loop;
      return rounds;
    },
  };
}
