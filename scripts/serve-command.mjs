// How the production processes are started: package.json's `serve` and `worker` scripts are
// the one place their Node flags are written. `npm start`, the systemd units, `npm run
// start:offline`, the tests and the benchmarks all start them with those flags
// (scripts/serve-command.test.ts checks the copies that cannot read this file).
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** The script's words after `node`: Node's flags, then the script and its arguments. */
export function packageScriptNodeArgs(name) {
  const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts;
  const [command, ...args] = (scripts[name] ?? "").split(" ");
  if (command !== "node") throw new Error(`npm run ${name} is not a plain node command: ${scripts[name]}`);
  return args;
}

/** A script's Node arguments with its script's full path, to spawn it from any working directory. */
const spawnableArgs = (name) =>
  packageScriptNodeArgs(name).map((arg) => (arg.startsWith("-") ? arg : path.join(root, arg)));

/** `npm run serve`'s Node arguments: the server exactly as production runs it. */
export const serveNodeArgs = () => spawnableArgs("serve");

/** `npm run worker`'s Node arguments: the delivery worker exactly as production runs it. */
export const workerNodeArgs = () => spawnableArgs("worker");
