// The benchmark's command-line options (bench/README.md), for `npm run bench` and
// `npm run bench:scale` alike: small flags for investigating; the defaults are the benchmark.
import { parseArgs } from "node:util";

/** Every option either script takes; a misspelt one stops the run instead of being ignored. */
const OPTIONS = {
  warmup: { type: "string" },
  requests: { type: "string" },
  "throughput-tenants": { type: "string" },
  "latency-leads": { type: "string" },
  "one-chat": { type: "string" },
  "diagnostic-requests": { type: "string" },
  "cpu-prof": { type: "boolean", default: false },
  "keep-db": { type: "boolean", default: false },
  "skip-scale": { type: "boolean", default: false },
  "scale-leads": { type: "string" },
  "scale-requests": { type: "string" },
  "scale-db": { type: "string" },
} as const;

export type ScaleSettings = { leads: number; requests: number; databases: ("sqlite" | "postgresql")[] };

const DEFAULT_SCALE_SETTINGS: ScaleSettings = { leads: 1_000_000, requests: 200, databases: ["sqlite", "postgresql"] };

/** A count that is not a positive number keeps the default, as it always has. */
function count(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number > 0 ? number : fallback;
}

export function parseBenchArgs(args: string[]) {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  const settings = {
    warmupRequests: count(values.warmup, 500),
    requests: count(values.requests, 3000),
    concurrencies: [16, 64],
    /** Tenants (each its own bot and private chat) for phases 3 and 4a. */
    tenants: 30,
    /**
     * Tenants the throughput runs spread their leads over (round robin; the first `tenants`
     * of them included): the app paces itself at 1 message/s per private chat
     * (lib/leads/delivery/pacing.ts), so delivery keeps up only with about as many chats as
     * leads per second.
     */
    throughputTenants: count(values["throughput-tenants"], 300),
    latencyLeads: count(values["latency-leads"], 300),
    latencyRatePerSecond: 20,
    burstPerTenant: 10,
    burstOneChat: count(values["one-chat"], 60),
    /** The diagnostic run: submissions into one tenant, so delivery work is paced away. */
    diagnosticRequests: count(values["diagnostic-requests"], 1500),
    /** No closed-loop run goes on longer than this, whatever the server's speed. */
    runDeadlineMs: 40_000,
    /** Other processes above this share of the CPU make the figures unreliable (warned). */
    busyThresholdPct: 10,
    /** Saves V8 CPU profiles of the app and the baseline into bench/results/profiles. */
    cpuProfile: values["cpu-prof"],
  };
  const only = values["scale-db"];
  const scale: ScaleSettings = {
    leads: count(values["scale-leads"], DEFAULT_SCALE_SETTINGS.leads),
    requests: count(values["scale-requests"], DEFAULT_SCALE_SETTINGS.requests),
    databases: only === "sqlite" || only === "postgresql" ? [only] : DEFAULT_SCALE_SETTINGS.databases,
  };
  return { settings, scale, skipScale: values["skip-scale"], keepDb: values["keep-db"] };
}

export type BenchSettings = ReturnType<typeof parseBenchArgs>["settings"];

/** `npm run bench:cluster`'s options (bench/cluster.ts); the defaults are the benchmark. */
const CLUSTER_OPTIONS = {
  warmup: { type: "string" },
  requests: { type: "string" },
  chats: { type: "string" },
  "per-chat": { type: "string" },
  "latency-leads": { type: "string" },
  "keep-logs": { type: "boolean", default: false },
} as const;

export function parseClusterArgs(args: string[]) {
  const { values } = parseArgs({ args, options: CLUSTER_OPTIONS, strict: true, allowPositionals: false });
  return {
    warmupRequests: count(values.warmup, 500),
    requests: count(values.requests, 3000),
    concurrencies: [16, 64],
    /** Sites, each with its own bot and private chat: the intake spreads over them, delivery drains them. */
    chats: count(values.chats, 300),
    /** Leads queued per chat for each delivery drain. */
    perChat: count(values["per-chat"], 10),
    latencyLeads: count(values["latency-leads"], 300),
    latencyRatePerSecond: 20,
    /** No closed-loop run goes on longer than this, whatever the servers' speed. */
    runDeadlineMs: 40_000,
    /** No delivery drain is waited for longer than this. */
    drainDeadlineMs: 90_000,
    /** Other processes above this share of the CPU make the figures unreliable (warned). */
    busyThresholdPct: 10,
    /** Keeps the processes' logs (their folder is printed) instead of deleting them. */
    keepLogs: values["keep-logs"],
  };
}

export type ClusterSettings = ReturnType<typeof parseClusterArgs>;
