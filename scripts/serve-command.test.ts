import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageScriptEnv, packageScriptNodeArgs, serveNodeArgs, workerEnv, workerNodeArgs } from "./serve-command.mjs";

const root = path.resolve(import.meta.dirname, "..");
const flagsOf = (args: string[]) => args.filter((arg) => arg.startsWith("-"));

describe("the production server's command", () => {
  it("is npm run serve's: Node flags written --name=value, then the server script", () => {
    const args = packageScriptNodeArgs("serve");
    expect(args.at(-1)).toBe("scripts/server.mjs");
    expect(flagsOf(args)).toEqual(args.slice(0, -1));
    expect(flagsOf(args).every((flag) => /^--[a-z-]+=\S+$/.test(flag))).toBe(true);
    expect(serveNodeArgs().at(-1)).toBe(path.join(root, "scripts/server.mjs"));
    expect(existsSync(serveNodeArgs().at(-1) as string)).toBe(true);
  });

  it("has the same Node flags under npm start, which serves in its own process", () => {
    const args = packageScriptNodeArgs("start");
    expect(args.at(-1)).toBe("scripts/start.mjs");
    expect(flagsOf(args)).toEqual(flagsOf(packageScriptNodeArgs("serve")));
  });

  it("is what the systemd web unit runs", () => {
    const unit = readFileSync(path.join(root, "deploy/systemd/leadgram-web@.service"), "utf8");
    const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    expect(execStart).toBe(["/usr/bin/node", ...packageScriptNodeArgs("serve")].join(" "));
  });
});

describe("the delivery worker's command", () => {
  it("is npm run worker's, and what the systemd worker unit runs, in the same environment", () => {
    const args = packageScriptNodeArgs("worker");
    expect(args.at(-1)).toBe("scripts/worker.mjs");
    expect(workerNodeArgs().at(-1)).toBe(path.join(root, "scripts/worker.mjs"));
    const unit = readFileSync(path.join(root, "deploy/systemd/leadgram-worker@.service"), "utf8");
    expect(/^ExecStart=(.*)$/m.exec(unit)?.[1]).toBe(["/usr/bin/node", ...args].join(" "));
    expect(workerEnv()).toEqual({ MALLOC_MMAP_THRESHOLD_: "32768" });
    for (const [variable, value] of Object.entries(workerEnv()))
      expect(unit).toMatch(new RegExp(`^Environment=${variable}=${value}$`, "m"));
  });

  it("reads the NAME=value words before node as the environment, not as Node's arguments", () => {
    expect(packageScriptEnv("serve")).toEqual({});
    expect(packageScriptNodeArgs("worker")[0]).toMatch(/^--/);
  });
});
