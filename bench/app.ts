// The app under test for the benchmark scripts: the production build, started once it exists.
import { existsSync } from "node:fs";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { sleep } from "./load";
import { log } from "./report";

const root = path.resolve(import.meta.dirname, "..");

/**
 * The app's environment in every benchmark: all the load comes from one client address and
 * signs up hundreds of sites, so the intake and sign-up throttles are not what is measured.
 */
export const UNTHROTTLED = {
  LEADS_PER_MINUTE_PER_CLIENT: "1000000",
  LEADS_PER_MINUTE_PER_SITE: "1000000",
  SIGNUPS_PER_HOUR_PER_CLIENT: "1000000",
};

/** Another engineer may be rebuilding: wait for a complete build (BUILD_ID is written last). */
async function waitForBuild(timeoutMs = 300_000): Promise<void> {
  const file = path.join(root, ".next/BUILD_ID");
  const deadline = Date.now() + timeoutMs;
  let said = false;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error("No production build (.next/BUILD_ID): run `npx next build` first");
    if (!said) log("waiting for .next/BUILD_ID (a build is missing or in progress)…");
    said = true;
    await sleep(2000);
  }
}

export async function startApp(env: Record<string, string>, logFile: string): Promise<AppServer> {
  for (let attempt = 1; ; attempt += 1) {
    await waitForBuild();
    try {
      return await startAppServer(env, logFile);
    } catch (error) {
      if (attempt >= 3) throw error;
      log(`app did not start (attempt ${attempt}: ${String(error).split("\n")[0]}); retrying`);
      await sleep(5000);
    }
  }
}
