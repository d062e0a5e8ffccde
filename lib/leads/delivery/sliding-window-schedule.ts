/**
 * Send times under "at most `limit` sends in any `windowMs`", as Telegram counts them.
 *
 * Written here rather than with rate-limiter-flexible (used for request throttling):
 * its in-memory limiters count fixed windows, which let twice the limit through around a
 * window's edge (19 group messages at second 59 and 20 more at second 61) and Telegram
 * answers that with 429. Each key's sends come from one delivery lane at a time, so the
 * times reserved for a key only grow.
 */
export class SlidingWindowSchedule {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** The earliest time at or after `notBefore` when one more send to `key` keeps to the limit. */
  earliest(key: string, notBefore: number): number {
    const times = this.sent.get(key) ?? [];
    if (times.length < this.limit) return notBefore;
    return Math.max(notBefore, (times[times.length - this.limit] ?? 0) + this.windowMs);
  }

  /** Records a send to `key` at `at`, forgetting sends too old to matter. */
  record(key: string, at: number): void {
    const times = (this.sent.get(key) ?? []).filter((time) => time > at - this.windowMs);
    times.push(at);
    this.sent.set(key, times.slice(-this.limit));
  }

  /** Sets `key`'s sends to `times` (another process made them), as if recorded here. */
  replace(key: string, times: number[]): void {
    this.sent.set(key, [...times].sort((a, b) => a - b).slice(-this.limit));
  }

  /** Drops keys with no send inside the window, so memory follows active chats only. */
  prune(now: number): void {
    for (const [key, times] of this.sent) {
      if ((times.at(-1) ?? 0) <= now - this.windowMs) this.sent.delete(key);
    }
  }
}
