import { randomUUID } from "node:crypto";
import { uniqueClientIp } from "../support/api-client";
import { sleep } from "../support/wait";

/**
 * The fault test's client: it posts leads the way the embed snippet does — one
 * `Idempotency-Key` per submission, the same key on every retry — and, when an instance
 * does not answer (killed, restarting), retries against the other one. Some submissions
 * are sent twice on purpose, at once or one after the other, as a form retrying after a
 * lost answer would.
 */

export type Submission = { site: number; siteKey: string; key: string; name: string };

/**
 * What the client saw of one submission: every 201's lead id (they must agree), when its
 * first post left and when its first 201 came (epoch ms). A submission whose first 201 came
 * before another's first post left was certainly submitted before it.
 */
export type Acknowledgement = { submission: Submission; leadIds: string[]; postedAt: number; ackedAt: number };

export type LoadReport = {
  acknowledged: Map<string, Acknowledgement>;
  posts: number;
  duplicatePosts: number;
  /** Posts that got no answer (connection refused or reset) and were sent again elsewhere. */
  failovers: number;
  /** Answers other than 201 that were retried (5xx while an instance starts or stops). */
  retriedAnswers: number;
  durationMs: number;
};

/** A small seeded generator, so a failing run can be repeated with the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `perSite` submissions for each site, in bursts: a block of sites at a time gets a burst of
 * `burstOf(site)` leads each, interleaved, faster than Telegram lets them out, so every
 * chat's notifications queue up and the senders' pace matters; then the next block. Round
 * after round, until every site has had its leads.
 */
export function plannedSubmissions(
  siteKeys: string[],
  perSite: number,
  { blockOfSites, burstOf }: { blockOfSites: number; burstOf: (site: number) => number },
): Submission[] {
  const batch = randomUUID().slice(0, 6);
  const submitted = siteKeys.map(() => 0);
  const submissions: Submission[] = [];
  while (submitted.some((count) => count < perSite)) {
    for (let block = 0; block < siteKeys.length; block += blockOfSites) {
      const sites = siteKeys.map((_, site) => site).slice(block, block + blockOfSites);
      const burstEnds = sites.map((site) => Math.min(perSite, (submitted[site] ?? 0) + burstOf(site)));
      for (let more = true; more;) {
        more = false;
        sites.forEach((site, at) => {
          const index = submitted[site] ?? 0;
          if (index >= (burstEnds[at] ?? 0)) return;
          submissions.push({
            site,
            siteKey: siteKeys[site] ?? "",
            key: randomUUID(),
            name: leadName(batch, site, index),
          });
          submitted[site] = index + 1;
          more = true;
        });
      }
    }
  }
  return submissions;
}

/** Lead names are unique and found again in the notification's text by LEAD_NAME_PATTERN. */
const leadName = (batch: string, site: number, index: number) =>
  `fault-${batch}-s${String(site).padStart(3, "0")}-n${String(index).padStart(3, "0")}`;
export const LEAD_NAME_PATTERN = /fault-[0-9a-f]{6}-s\d{3}-n\d{3}/g;

const REQUEST_TIMEOUT_MS = 30_000;
/** A submission still unanswered after this long fails the run (it would fail a visitor too). */
const SUBMISSION_DEADLINE_MS = 120_000;

type Outcome = { status: number; leadId?: string } | { status: "no answer"; error: string };

async function post(url: string, submission: Submission): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/api/v1/public/leads/${submission.siteKey}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": submission.key,
        "x-forwarded-for": uniqueClientIp(),
      },
      body: JSON.stringify({ name: submission.name, phone: "+1 555 0100" }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 201) return { status: response.status };
    return { status: 201, leadId: (JSON.parse(text) as { id: string }).id };
  } catch (error) {
    return { status: "no answer", error: error instanceof Error ? `${error.message} ${String(error.cause)}` : "" };
  }
}

export type LoadOptions = {
  submissions: Submission[];
  /** The web instances' URLs at this moment (they change when one restarts). */
  webUrls: () => string[];
  concurrency: number;
  /** Share of submissions sent twice: half at once through both instances, half after the first answer. */
  duplicateShare: number;
  random: () => number;
  /** Called once, after this many acknowledgements. */
  midway: { after: number; run: () => Promise<void> };
};

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const startedAt = Date.now();
  const acknowledged = new Map<string, Acknowledgement>();
  let posts = 0;
  let duplicatePosts = 0;
  let failovers = 0;
  let retriedAnswers = 0;
  let instanceTurn = 0;
  let midway: Promise<void> | undefined;

  /** Posts until a 201, moving to the next instance after a failure. */
  async function submit(submission: Submission, firstInstance: number): Promise<void> {
    const postedAt = Date.now();
    const deadline = postedAt + SUBMISSION_DEADLINE_MS;
    for (let attempt = 0; ; attempt += 1) {
      const urls = options.webUrls();
      const url = urls[(firstInstance + attempt) % urls.length] ?? "";
      posts += 1;
      const outcome = await post(url, submission);
      if (outcome.status === 201 && outcome.leadId !== undefined) {
        const entry = acknowledged.get(submission.key) ?? { submission, leadIds: [], postedAt, ackedAt: Date.now() };
        entry.leadIds.push(outcome.leadId);
        entry.postedAt = Math.min(entry.postedAt, postedAt);
        acknowledged.set(submission.key, entry);
        return;
      }
      if (outcome.status === "no answer") failovers += 1;
      else if (outcome.status >= 500) retriedAnswers += 1;
      else throw new Error(`${submission.name}: ${url} answered ${outcome.status}, not 201`);
      if (Date.now() > deadline)
        throw new Error(
          `${submission.name}: no 201 within ${SUBMISSION_DEADLINE_MS} ms (last: ${JSON.stringify(outcome)})`,
        );
      await sleep(Math.min(1_000, 50 * (attempt + 1)));
    }
  }

  async function handle(submission: Submission): Promise<void> {
    const first = instanceTurn++ % 2;
    const roll = options.random();
    if (roll < options.duplicateShare / 2) {
      duplicatePosts += 1;
      await Promise.all([submit(submission, first), submit(submission, first + 1)]);
    } else if (roll < options.duplicateShare) {
      duplicatePosts += 1;
      await submit(submission, first);
      await submit(submission, first + 1);
    } else {
      await submit(submission, first);
    }
    if (midway === undefined && acknowledged.size >= options.midway.after) {
      midway = options.midway.run();
      // Awaited (and so thrown) after the load; meanwhile its failure is not "unhandled".
      midway.catch(() => {});
    }
  }

  const queue = [...options.submissions];
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await handle(next);
    }),
  );
  await midway;
  return { acknowledged, posts, duplicatePosts, failovers, retriedAnswers, durationMs: Date.now() - startedAt };
}
