import { z } from "zod";

/**
 * Telegram's documented flood limits, enforced with token buckets: a rule lets `burst`
 * messages through at once and refills `count` per `perMs`. The real server's algorithm is
 * private; buckets reproduce the documented rates while tolerating a little jitter.
 */

export const rateRuleSchema = z.object({
  count: z.number().positive(),
  perMs: z.number().positive(),
  burst: z.number().min(1),
});
export type RateRule = z.infer<typeof rateRuleSchema>;

export const rateLimitConfigSchema = z.object({
  enabled: z.boolean(),
  /** Per bot and private chat (positive chat id): about one message per second. */
  privateChat: rateRuleSchema,
  /** Per bot and group or supergroup (negative chat id): 20 messages per minute. */
  groupChat: rateRuleSchema,
  /** Per bot across all chats: 30 messages per second. */
  global: rateRuleSchema,
});
export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

export const rateLimitPatchSchema = z.object({
  enabled: z.boolean().optional(),
  privateChat: rateRuleSchema.partial().optional(),
  groupChat: rateRuleSchema.partial().optional(),
  global: rateRuleSchema.partial().optional(),
});
export type RateLimitPatch = z.infer<typeof rateLimitPatchSchema>;

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  enabled: true,
  privateChat: { count: 1, perMs: 1000, burst: 3 },
  groupChat: { count: 20, perMs: 60_000, burst: 20 },
  global: { count: 30, perMs: 1000, burst: 30 },
};

export function mergeRateLimits(base: RateLimitConfig, patch: RateLimitPatch | undefined): RateLimitConfig {
  return rateLimitConfigSchema.parse({
    enabled: patch?.enabled ?? base.enabled,
    privateChat: { ...base.privateChat, ...patch?.privateChat },
    groupChat: { ...base.groupChat, ...patch?.groupChat },
    global: { ...base.global, ...patch?.global },
  });
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class FloodControl {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private config: RateLimitConfig,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get limits(): RateLimitConfig {
    return this.config;
  }

  configure(config: RateLimitConfig): void {
    this.config = config;
    // New rules start from full buckets rather than inheriting debt measured under old ones.
    this.buckets.clear();
  }

  reset(): void {
    this.buckets.clear();
  }

  /**
   * Takes one message slot for the bot and chat, or returns the whole seconds to wait
   * (>= 1, like Telegram's retry_after) without taking anything.
   */
  trySend(botId: number, chatId: number): { ok: true } | { ok: false; retryAfter: number } {
    if (!this.config.enabled) {
      return { ok: true };
    }
    const chatRule = chatId > 0 ? this.config.privateChat : this.config.groupChat;
    const checks: Array<[string, RateRule]> = [
      [`bot:${botId}`, this.config.global],
      [`chat:${botId}:${chatId}`, chatRule],
    ];
    const now = this.now();
    let waitMs = 0;
    for (const [key, rule] of checks) {
      const bucket = this.refill(key, rule, now);
      if (bucket.tokens < 1) {
        waitMs = Math.max(waitMs, ((1 - bucket.tokens) * rule.perMs) / rule.count);
      }
    }
    if (waitMs > 0) {
      return { ok: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    for (const [key] of checks) {
      const bucket = this.buckets.get(key);
      if (bucket !== undefined) {
        bucket.tokens -= 1;
      }
    }
    return { ok: true };
  }

  private refill(key: string, rule: RateRule, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: rule.burst, updatedAt: now };
    const refilled = ((now - bucket.updatedAt) * rule.count) / rule.perMs;
    bucket.tokens = Math.min(rule.burst, bucket.tokens + refilled);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
