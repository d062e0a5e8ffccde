// How the production processes are started: package.json's `serve` and `worker` scripts are
// the one place their Node flags (and the worker's malloc setting) are written. `npm start`,
// the systemd units, `npm run start:offline`, the tests and the benchmarks all start them
// with those (scripts/serve-command.test.ts checks the copies that cannot read this file).
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** Leading `NAME=value` words, as a shell reads them before a command: the environment, and the words after. */
export function leadingEnvironment(words) {
  const env = {};
  let at = 0;
  for (; /^[A-Z_][A-Z0-9_]*=/.test(words[at] ?? ""); at += 1) {
    const word = words[at];
    env[word.slice(0, word.indexOf("="))] = word.slice(word.indexOf("=") + 1);
  }
  return { env, rest: words.slice(at) };
}

/** A script as `NAME=value ... node <flags> <script>`: its environment, and its words after `node`. */
function packageScript(name) {
  const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts;
  const { env, rest } = leadingEnvironment((scripts[name] ?? "").split(" "));
  const [command, ...args] = rest;
  if (command !== "node") throw new Error(`npm run ${name} is not a plain node command: ${scripts[name]}`);
  return { env, args };
}

/** The script's words after `node`: Node's flags, then the script and its arguments. */
export const packageScriptNodeArgs = (name) => packageScript(name).args;

/** The environment the script sets before `node` (`NAME=value` words). */
export const packageScriptEnv = (name) => packageScript(name).env;

/** A script's Node arguments with its script's full path, to spawn it from any working directory. */
const spawnableArgs = (name) =>
  packageScriptNodeArgs(name).map((arg) => (arg.startsWith("-") ? arg : path.join(root, arg)));

/** `npm run serve`'s Node arguments: the server exactly as production runs it. */
export const serveNodeArgs = () => spawnableArgs("serve");

/** `npm run worker`'s Node arguments: the delivery worker exactly as production runs it. */
export const workerNodeArgs = () => spawnableArgs("worker");

/** ...and the environment it runs in. */
export const workerEnv = () => packageScriptEnv("worker");
