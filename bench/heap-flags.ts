// `npx tsx --conditions=react-server bench/heap-flags.ts`: two production servers, A and B,
// differing only in their Node flags, under the bench's closed-loop intake at the same time,
// so that both meet the same load from the rest of a shared machine (one after the other,
// run-to-run noise on the 2-core development machines was larger than the difference
// measured). Per run: leads/s of each and B/A, peak VmRSS, and CPU ms per accepted lead.
//
//   --db postgresql|sqlite  PostgreSQL: one throwaway server, both web-only (RUN_DELIVERY=false)
//                           on one database; SQLite: a file each, each with its delivery thread
//   --a=, --b=              the Node flags of each, space-separated (default: V8's own heap
//                           sizing for A, npm run serve's flags for B)
//   --a-dir=, --b-dir=      the checkout each runs from, built (default: this one): compares
//                           two versions of the code, e.g. a git worktree of the commit before
//   --rounds N              runs at concurrency 16 and 64, N times (default 3)
//   --tenants N, --requests N
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SandboxClient } from "../sandbox/client";
import { startSandbox } from "../sandbox/start-sandbox";
import { serveNodeArgs } from "../scripts/serve-command.mjs";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { startTemporaryPostgres, type TemporaryPostgres } from "../tests/support/postgres-server";
import { UNTHROTTLED } from "./app";
import { CpuMeter, processCpuMs } from "./cpu-meter";
import { median } from "./load";
import { throughputPhase } from "./phases";
import { fmt, log, runBounded, table } from "./report";
import { mapLimited, registerTenant } from "./tenants";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "postgresql" },
    a: { type: "string", default: "" },
    b: {
      type: "string",
      default: serveNodeArgs()
        .filter((arg) => arg.startsWith("-"))
        .join(" "),
    },
    "a-dir": { type: "string" },
    "b-dir": { type: "string" },
    rounds: { type: "string", default: "3" },
    tenants: { type: "string", default: "60" },
    requests: { type: "string", default: "3000" },
  },
  strict: true,
});

const flags = (words: string | undefined) => (words ?? "").split(" ").filter(Boolean);

type Side = { name: "A" | "B"; server: AppServer; siteKeys: string[] };

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "leadgram-heap-flags-"));
  const sandbox = await startSandbox();
  const sb = new SandboxClient(sandbox.url);
  let postgres: TemporaryPostgres | undefined;
  const started: AppServer[] = [];
  try {
    const env: Record<string, string> = {
      TELEGRAM_API_URL: sandbox.url,
      ...UNTHROTTLED,
    };
    if (values.db === "postgresql") {
      postgres = await startTemporaryPostgres();
      Object.assign(env, { DATABASE_URL: postgres.url, RUN_DELIVERY: "false" });
    }
    const runId = Math.random().toString(36).slice(2, 8);
    const sides: Side[] = [];
    for (const name of ["A", "B"] as const) {
      const database: Record<string, string> = postgres ? {} : { DATABASE_URL: `file:${path.join(tmp, `${name}.db`)}` };
      const server = await startAppServer({ ...env, ...database }, path.join(tmp, `${name}.log`), {
        nodeFlags: flags(name === "A" ? values.a : values.b),
        cwd: name === "A" ? values["a-dir"] : values["b-dir"],
      });
      started.push(server);
      // On PostgreSQL both serve the same sites; each SQLite server needs its own.
      const registerOn = postgres && sides[0] ? undefined : server;
      const siteKeys = registerOn
        ? (
            await mapLimited(
              Array.from({ length: Number(values.tenants) }, (_, i) => i),
              4,
              (i) => registerTenant(registerOn.url, sb, i, `${runId}${name}`),
            )
          ).map((tenant) => tenant.siteKey)
        : (sides[0]?.siteKeys ?? []);
      sides.push({ name, server, siteKeys });
    }
    const side = (name: "a" | "b") =>
      `${values[name] || "(V8's own heap sizing)"}${values[`${name}-dir`] ? ` in ${values[`${name}-dir`]}` : ""}`;
    log(`A: ${side("a")}; B: ${side("b")}; ${values.db}`);
    const meter = new CpuMeter();
    const load = (side: Side, tag: string, concurrency: number, requests: number) =>
      throughputPhase(`${side.name} ${tag}`, side.server.url, side.siteKeys, `${side.name}${tag}`, {
        meter,
        concurrencies: [concurrency],
        requests,
        warmup: 0,
        deadlineMs: 60_000,
        pid: side.server.pid,
      }).then((runs) => runs[`c${concurrency}`]);
    await Promise.all(sides.map((side) => load(side, "W", 16, 500)));
    const rows: { concurrency: number; a: number; b: number; ratio: number; cells: string[] }[] = [];
    for (let round = 1; round <= Number(values.rounds); round += 1) {
      for (const concurrency of [16, 64]) {
        const cpuBefore = sides.map((side) => processCpuMs(side.server.pid));
        const [a, b] = await Promise.all(
          sides.map((side) => load(side, `R${round}c${concurrency}`, concurrency, Number(values.requests))),
        );
        const perLead = sides.map(
          (side, i) => (processCpuMs(side.server.pid) - (cpuBefore[i] ?? 0)) / ([a, b][i]?.accepted ?? 1),
        );
        const ratio = (b?.acceptedPerSecond ?? NaN) / (a?.acceptedPerSecond ?? NaN);
        rows.push({
          concurrency,
          a: a?.acceptedPerSecond ?? NaN,
          b: b?.acceptedPerSecond ?? NaN,
          ratio,
          cells: [
            String(round),
            String(concurrency),
            fmt(a?.acceptedPerSecond ?? NaN, 0),
            fmt(b?.acceptedPerSecond ?? NaN, 0),
            fmt(ratio, 3),
            fmt(a?.rssPeakMiB ?? NaN, 0),
            fmt(b?.rssPeakMiB ?? NaN, 0),
            fmt(perLead[0] ?? NaN, 2),
            fmt(perLead[1] ?? NaN, 2),
          ],
        });
      }
    }
    log();
    log(
      table(
        ["round", "c", "A leads/s", "B leads/s", "B/A", "A peak MiB", "B peak MiB", "A CPU ms/lead", "B CPU ms/lead"],
        rows.map((row) => row.cells),
      ),
    );
    for (const concurrency of [16, 64]) {
      const ratios = rows.filter((row) => row.concurrency === concurrency).map((row) => row.ratio);
      log(`c=${concurrency}: median B/A ${fmt(median(ratios), 3)} over ${ratios.length} runs`);
    }
  } finally {
    for (const server of started) await server.stop();
    await postgres?.stop();
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

runBounded("heap-flags", main, 15 * 60_000);
