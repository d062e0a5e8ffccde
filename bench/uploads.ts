// The 1 GB upload phase of `npm run bench`: a body declared as 1 GB, and an endless chunked
// one, to each kind of route; how soon the server refuses it and how much its memory grew.
import { randomUUID } from "node:crypto";
import { uploadHuge } from "../tests/support/huge-upload";
import { rssBytes } from "../tests/support/process-memory";

const MiB = 1024 * 1024;

export type UploadRun = {
  route: string;
  mode: "Content-Length: 1 GB" | "chunked";
  status: number | null;
  msToAnswer: number;
  sentMiB: number;
};
export type UploadReport = { runs: UploadRun[]; rssGrowthMiB: number; maxMsToAnswer: number; allRefused: boolean };

export async function uploadPhase(appUrl: string, appPid: number, siteKey: string): Promise<UploadReport> {
  const routes = [
    { route: "/api/v1/auth/register", contentType: "application/json" },
    { route: "/api/v1/auth/token", contentType: "application/json" },
    { route: "/api/auth/callback/credentials", contentType: "application/x-www-form-urlencoded" },
    { route: `/api/v1/telegram/webhook/${randomUUID()}`, contentType: "application/json" },
    { route: "/api/v1/tenant", contentType: "application/json" },
    { route: `/api/v1/public/leads/${siteKey}`, contentType: "application/x-www-form-urlencoded" },
  ];
  const rssBefore = rssBytes(appPid);
  const runs: UploadRun[] = [];
  for (const { route, contentType } of routes) {
    for (const chunked of [false, true]) {
      // A fresh client address each time, so the lead route's throttle is not what answers.
      const answer = await uploadHuge(appUrl, route, {
        chunked,
        contentType,
        headers: { "X-Forwarded-For": `198.18.200.${runs.length + 1}` },
      });
      runs.push({
        route,
        mode: chunked ? "chunked" : "Content-Length: 1 GB",
        status: answer.status,
        msToAnswer: answer.msToAnswer,
        sentMiB: answer.sentBytes / MiB,
      });
    }
  }
  return {
    runs,
    rssGrowthMiB: (rssBytes(appPid) - rssBefore) / MiB,
    maxMsToAnswer: Math.max(...runs.map((run) => run.msToAnswer)),
    allRefused: runs.every((run) => run.status === 413),
  };
}
