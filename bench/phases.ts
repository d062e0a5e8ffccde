// The phases of the lead bench (bench/leads.ts runs them in order).
import type { SandboxClient, SentMessageRecord } from "../sandbox/client";
import type { CpuMeter, CpuShare } from "./cpu-meter";
import {
  createAgent,
  epochMs,
  median,
  postJson,
  runClosedLoop,
  sleep,
  summarise,
  type LoadResult,
  type Summary,
} from "./load";
import { watchRss } from "./memory";
import { fmt, log } from "./report";
import type { BenchSettings } from "./settings";
import { mapLimited, registerTenant, type Tenant } from "./tenants";
import { leadBody, leadUrl, parseTag, TAG_PATTERN, USER_AGENT, waitForPhaseMessages } from "./traffic";

/** Telegram's limit for one private chat, which the app's pacing keeps to. */
const ALLOWED_PER_CHAT_PER_SECOND = 1;

/**
 * Phase 2: the app's tenants, registered through its API like real owners, each with its own
 * sandbox bot and private chat; then the submission and delivery paths warmed with one lead
 * per tenant, delivered, and the per-chat pacing windows (1 s) left to lapse.
 */
export async function setUpTenants(sb: SandboxClient, appUrl: string, settings: BenchSettings, runId: string) {
  const setupStarted = performance.now();
  const allTenants = await mapLimited(
    Array.from({ length: Math.max(settings.throughputTenants, settings.tenants) + 1 }, (_, i) => i),
    4,
    (i) => registerTenant(appUrl, sb, i, runId),
  );
  const oneChat = allTenants.pop() as Tenant;
  const tenants = allTenants.slice(0, settings.tenants);
  log(
    `app: ${allTenants.length + 1} tenants registered, each with its own sandbox bot and private chat (${fmt((performance.now() - setupStarted) / 1000)} s)`,
  );

  const warmSince = epochMs();
  const warmAgent = createAgent(8);
  await Promise.all(
    tenants.map((tenant, i) =>
      postJson(warmAgent, leadUrl(appUrl, tenant.siteKey), leadBody(`W.${tenant.index}.0`, i), {
        "user-agent": USER_AGENT,
      }),
    ),
  );
  warmAgent.destroy();
  const warmed = await waitForPhaseMessages(sb, "W", tenants.length, warmSince, 20_000);
  if (warmed.length < tenants.length)
    throw new Error(`warm-up: only ${warmed.length}/${tenants.length} notifications arrived`);
  await sleep(1500);
  return { allTenants, tenants, oneChat };
}

type DeliveryDuringRun = { sentDuringRun: number; drainMs: number; drained: boolean };
export type ThroughputRun = LoadResult & { cpu: CpuShare; delivery?: DeliveryDuringRun; rssPeakMiB?: number };

/** The server's highest VmRSS while `work` runs (MiB; NaN without a pid). */
async function withRssPeak<T>(pid: number | undefined, work: () => Promise<T>): Promise<T & { rssPeakMiB: number }> {
  const watch = watchRss({ server: pid });
  try {
    const result = await work();
    return { ...result, rssPeakMiB: watch.stop().server ?? NaN };
  } catch (error) {
    watch.stop();
    throw error;
  }
}

/** The `i`th request's server: the only one, or the instances in turn. */
const roundRobin = (urls: string | string[], i: number): string =>
  typeof urls === "string" ? urls : (urls[i % urls.length] ?? "");

/**
 * Warm-up, then one closed-loop run per concurrency. With `sb` (the app), also counts the
 * notifications the sandbox recorded during each run, and waits for the rest to be sent
 * before the next run so that no run inherits another's delivery backlog.
 */
export async function throughputPhase(
  label: string,
  /** The server, or several instances of it that the requests take in turn (round robin). */
  baseUrl: string | string[],
  siteKeys: string[],
  tag: string,
  options: {
    meter: CpuMeter;
    concurrencies: number[];
    requests: number;
    warmup: number;
    deadlineMs: number;
    sb?: SandboxClient;
    drain?: boolean;
    /** The server under test, whose peak VmRSS each run records. */
    pid?: number;
  },
): Promise<Record<string, ThroughputRun>> {
  const { meter, sb } = options;
  let seq = 0;
  const common = {
    url: (i: number) => leadUrl(roundRobin(baseUrl, i), siteKeys[i % siteKeys.length] ?? ""),
    headers: { "user-agent": USER_AGENT },
    deadlineMs: options.deadlineMs,
  };
  const sentSoFar = async () => (sb ? (await sb.stats()).messages_sent : 0);
  let expected = await sentSoFar();
  const drain = async (): Promise<Omit<DeliveryDuringRun, "sentDuringRun">> => {
    const started = performance.now();
    while (options.drain && (await sentSoFar()) < expected && performance.now() - started < 30_000) await sleep(100);
    return { drainMs: performance.now() - started, drained: (await sentSoFar()) >= expected };
  };
  if (options.warmup > 0) {
    log(`${label}: warm-up ${options.warmup} requests at concurrency 16`);
    const warm = await runClosedLoop({
      ...common,
      body: (i) => leadBody(`${tag}W.${i % siteKeys.length}.${seq++}`, i),
      total: options.warmup,
      concurrency: 16,
    });
    if (warm.accepted !== warm.requests) throw new Error(`${label} warm-up failed: ${warm.firstFailure}`);
    expected += warm.accepted + warm.primed;
    await drain();
  }
  const results: Record<string, ThroughputRun> = {};
  for (const concurrency of options.concurrencies) {
    const before = await sentSoFar();
    const cpuStart = meter.sample();
    const load = await withRssPeak(options.pid, () =>
      runClosedLoop({
        ...common,
        body: (i) => leadBody(`${tag}${concurrency}.${i % siteKeys.length}.${seq++}`, i),
        total: options.requests,
        concurrency,
      }),
    );
    const result: ThroughputRun = { ...load, cpu: meter.since(cpuStart) };
    let note = "";
    if (sb) {
      const sentDuringRun = (await sentSoFar()) - before;
      expected += result.accepted + result.primed;
      result.delivery = { sentDuringRun, ...(await drain()) };
      note = `; ${sentDuringRun} notified during the run${options.drain ? `, the rest within ${fmt(result.delivery.drainMs / 1000, 2)} s` : ""}`;
    }
    log(
      `${label}: c=${concurrency}: ${fmt(result.acceptedPerSecond, 0)} leads/s, p50 ${fmt(result.latencyMs.p50)} ms, p99 ${fmt(result.latencyMs.p99)} ms ` +
        `(${result.accepted}/${options.requests} accepted${note}${options.pid === undefined ? "" : `; RSS peak ${fmt(result.rssPeakMiB ?? NaN, 0)} MiB`}; other processes ${fmt(result.cpu.othersPct, 0)}% CPU)`,
    );
    if (result.firstFailure) log(`  first failure: ${result.firstFailure}`);
    results[`c${concurrency}`] = result;
  }
  return results;
}

export type SendLatency = {
  leads: number;
  delivered: number;
  ratePerSecond: number;
  tenants: number;
  floodLimits: string;
  submitMs: Summary;
  ms: Summary;
  cpu: CpuShare;
};

/** Open loop: leads at a fixed rate, round robin over the tenants; 201 → sendMessage per lead. */
export async function sendLatencyPhase(
  sb: SandboxClient,
  appUrl: string | string[],
  tenants: Tenant[],
  meter: CpuMeter,
  settings: Pick<BenchSettings, "latencyLeads" | "latencyRatePerSecond">,
): Promise<SendLatency> {
  const agent = createAgent(32);
  const since = epochMs();
  const cpuStart = meter.sample();
  const interval = 1000 / settings.latencyRatePerSecond;
  const start = performance.now();
  const replies: Promise<{ tag: string; status: number; receivedAt: number; submitMs: number }>[] = [];
  for (let i = 0; i < settings.latencyLeads; i += 1) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await sleep(wait);
    const tenant = tenants[i % tenants.length] as Tenant;
    const tag = `L.${tenant.index}.${i}`;
    const sentAt = performance.now();
    replies.push(
      postJson(agent, leadUrl(roundRobin(appUrl, i), tenant.siteKey), leadBody(tag, i), {
        "user-agent": USER_AGENT,
      }).then((reply) => ({
        tag,
        status: reply.status,
        receivedAt: reply.receivedAt,
        submitMs: performance.now() - sentAt,
      })),
    );
  }
  const answered = await Promise.all(replies);
  agent.destroy();
  const accepted = answered.filter((reply) => reply.status === 201);
  const messages = await waitForPhaseMessages(sb, "L", accepted.length, since, 30_000);
  const cpu = meter.since(cpuStart);
  const sentAtByTag = new Map(
    messages.map((message) => [TAG_PATTERN.exec(message.text)?.[0].slice(1, -1) ?? "", message.sent_at]),
  );
  const latencies = accepted.flatMap((reply) => {
    const sentAt = sentAtByTag.get(reply.tag);
    return sentAt === undefined ? [] : [sentAt - reply.receivedAt];
  });
  return {
    leads: settings.latencyLeads,
    delivered: latencies.length,
    ratePerSecond: settings.latencyRatePerSecond,
    tenants: tenants.length,
    floodLimits: "on (sandbox defaults)",
    submitMs: summarise(accepted.map((reply) => reply.submitMs)),
    ms: summarise(latencies),
    cpu,
  };
}

type ChatReport = { chatId: number; messages: number; inOrder: boolean; spanMs: number; pace: number };

/**
 * Per tenant's chat: its messages of the phase in the order Telegram recorded them, whether
 * they are exactly the tenant's `perTenant` leads once each in submission order, and the
 * pace = (messages - 1) / span in seconds over the allowed 1 message/s.
 */
export function chatReports(messages: SentMessageRecord[], tenants: Tenant[], perTenant: number): ChatReport[] {
  const byChat = new Map<number, SentMessageRecord[]>();
  for (const message of messages) {
    const inChat = byChat.get(message.chat_id);
    if (inChat) inChat.push(message);
    else byChat.set(message.chat_id, [message]);
  }
  return tenants.map((tenant) => {
    const inChat = (byChat.get(tenant.chatId) ?? []).sort((a, b) => a.sent_at - b.sent_at);
    const seqs = inChat.map((message) => parseTag(message.text)?.seq ?? -1);
    const inOrder = inChat.length === perTenant && seqs.every((seq, i) => seq === i);
    const spanMs = inChat.length > 1 ? (inChat[inChat.length - 1]?.sent_at ?? 0) - (inChat[0]?.sent_at ?? 0) : NaN;
    return {
      chatId: tenant.chatId,
      messages: inChat.length,
      inOrder,
      spanMs,
      pace: (inChat.length - 1) / (spanMs / 1000) / ALLOWED_PER_CHAT_PER_SECOND,
    };
  });
}
export type BurstReport = {
  leads: number;
  chats: number;
  accepted: number;
  delivered: number;
  submitWallMs: number;
  /** From the first submission to the last message recorded by the sandbox. */
  wallMs: number;
  tooManyRequests: number;
  allInOrder: boolean;
  paceMin: number;
  paceMedian: number;
  expectedWallMs: number;
  cpu: CpuShare;
  perChat: ChatReport[];
};

/**
 * Each tenant's leads are submitted one after another (so "submission order" is defined),
 * all tenants at once. Per chat: order, and pace = (messages - 1) / span in seconds over
 * the allowed 1 message/s.
 */
export async function burstPhase(
  sb: SandboxClient,
  appUrl: string,
  tenants: Tenant[],
  perTenant: number,
  phase: string,
  meter: CpuMeter,
): Promise<BurstReport> {
  const before = await sb.stats();
  const since = epochMs();
  const cpuStart = meter.sample();
  const agent = createAgent(tenants.length);
  const started = performance.now();
  const acceptedCounts = await Promise.all(
    tenants.map(async (tenant) => {
      let accepted = 0;
      for (let seq = 0; seq < perTenant; seq += 1) {
        const reply = await postJson(
          agent,
          leadUrl(appUrl, tenant.siteKey),
          leadBody(`${phase}.${tenant.index}.${seq}`, seq),
          { "user-agent": USER_AGENT },
        );
        if (reply.status === 201) accepted += 1;
      }
      return accepted;
    }),
  );
  const submitWallMs = performance.now() - started;
  agent.destroy();
  const accepted = acceptedCounts.reduce((sum, count) => sum + count, 0);
  // At 1 message/s per chat the burst needs about perTenant seconds; allow twice that.
  const messages = await waitForPhaseMessages(sb, phase, accepted, since, perTenant * 2000 + 10_000);
  const cpu = meter.since(cpuStart);
  const after = await sb.stats();
  const lastSent = Math.max(...messages.map((message) => message.sent_at));
  const perChat = chatReports(messages, tenants, perTenant);
  const paces = perChat.map((chat) => chat.pace);
  return {
    leads: tenants.length * perTenant,
    chats: tenants.length,
    accepted,
    delivered: messages.length,
    submitWallMs,
    wallMs: lastSent - (performance.timeOrigin + started),
    tooManyRequests: after.too_many_requests - before.too_many_requests,
    allInOrder: perChat.every((chat) => chat.inOrder),
    paceMin: Math.min(...paces),
    paceMedian: median(paces),
    expectedWallMs: ((perTenant - 1) / ALLOWED_PER_CHAT_PER_SECOND) * 1000,
    cpu,
    perChat,
  };
}

/** Before starting: is someone else using the machine? Waits up to a minute for it to calm down. */
export async function checkQuiet(meter: CpuMeter, busyThresholdPct: number): Promise<number> {
  let others = NaN;
  for (let waited = 0; waited <= 60_000; waited += 2000) {
    const start = meter.sample();
    await sleep(2000);
    others = meter.since(start).othersPct;
    if (!(others > busyThresholdPct)) break;
    if (waited === 0)
      log(`other processes are using ${fmt(others, 0)}% of the CPU; waiting up to 60 s for a quieter machine…`);
  }
  return others;
}
