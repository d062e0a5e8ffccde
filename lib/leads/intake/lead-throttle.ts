import "server-only";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/api-error";
import { consumeOrRefuse, makeLimiter } from "@/lib/http/rate-limiter";
import { throttleKey } from "@/lib/http/throttle-key";

let limiters: { perClient: RateLimiterAbstract; perSite: RateLimiterAbstract } | undefined;

function lazyLimiters() {
  limiters ??= {
    perClient: makeLimiter({ keyPrefix: "lead-client", points: config().leadsPerMinutePerClient, duration: 60 }),
    perSite: makeLimiter({ keyPrefix: "lead-site", points: config().leadsPerMinutePerSite, duration: 60 }),
  };
  return limiters;
}

/**
 * Before the body is read: every submission spends the client's own budget (an IPv6 /64
 * counts as one client), and none is read once the site's minute is used up. The budgets
 * are shared by every server on the database (lib/http/rate-limiter.ts).
 */
export async function admitLeadSubmission(siteKey: string, clientIp: string): Promise<void> {
  const { perClient, perSite } = lazyLimiters();
  await consumeOrRefuse(perClient, `${siteKey}|${throttleKey(clientIp)}`);
  const site = await perSite.get(siteKey);
  if (site && site.consumedPoints >= perSite.points) throw ApiError.tooManyRequests(site.msBeforeNext / 1000);
}

/**
 * When a lead is about to be stored: it spends one of the site's submissions. Only accepted
 * leads count, so refused junk cannot use up a site's budget; and the point is taken in one
 * step right before storing (not checked then counted: on PostgreSQL one upsert that
 * returns the new count), so parallel submissions, through any servers, can never store
 * more than the budget: the one past it is refused with 429 and not stored.
 */
export async function spendSiteLeadBudget(siteKey: string): Promise<void> {
  await consumeOrRefuse(lazyLimiters().perSite, siteKey);
}

/**
 * A submission that spent the site's point and then turned out to repeat a stored lead (a
 * simultaneous retry with the same Idempotency-Key) gives the point back: it stored nothing.
 */
export async function refundSiteLeadBudget(siteKey: string): Promise<void> {
  await lazyLimiters().perSite.reward(siteKey);
}
