import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/api-error";

let limiters: { perClient: RateLimiterMemory; perSite: RateLimiterMemory } | undefined;

function lazyLimiters() {
  limiters ??= {
    perClient: new RateLimiterMemory({ keyPrefix: "lead-client", points: config().leadsPerMinutePerClient, duration: 60 }),
    perSite: new RateLimiterMemory({ keyPrefix: "lead-site", points: config().leadsPerMinutePerSite, duration: 60 }),
  };
  return limiters;
}

/** Throws 429 with Retry-After when the client or the site has used its minute's submissions. */
export async function throttleLeadSubmission(siteKey: string, clientIp: string): Promise<void> {
  const { perClient, perSite } = lazyLimiters();
  try {
    // Per client first: a flood from one address must not use up the site's budget.
    await perClient.consume(`${siteKey}|${clientIp}`);
    await perSite.consume(siteKey);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw ApiError.tooManyRequests(error.msBeforeNext / 1000);
    throw error;
  }
}
