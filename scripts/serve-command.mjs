// How the production server is started: package.json's `serve` script is the one place its
// Node flags are written (see serveNodeArgs). `npm start`, the systemd unit, `npm run
// start:offline`, the tests and the benchmark all start it with those flags
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

/**
 * `npm run serve`'s Node arguments, to spawn the server exactly as production runs it from
 * any working directory: its flags (written `--name=value`) and the server script's full path.
 */
export function serveNodeArgs() {
  return packageScriptNodeArgs("serve").map((arg) => (arg.startsWith("-") ? arg : path.join(root, arg)));
}
