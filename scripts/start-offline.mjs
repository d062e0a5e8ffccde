// `npm run start:offline`: Leadgram with the local Telegram Bot API sandbox instead of
// Telegram, to try the whole flow without network: connect the demo bot the sandbox
// prints (the app polls it for updates) and drive the demo chat through the sandbox's
// control API.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale } from "./build.mjs";
import { serveNodeArgs } from "./serve-command.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";
const sandboxPort = process.env.SANDBOX_PORT ?? "8081";

buildIfStale();

const children = [
  spawn(
    path.join(root, "node_modules/.bin/tsx"),
    ["sandbox/server.ts", "--port", sandboxPort, "--deliver-to", `http://127.0.0.1:${port}`],
    { cwd: root, stdio: "inherit" },
  ),
  spawn(process.execPath, serveNodeArgs(), {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PORT: port,
      TELEGRAM_API_URL: `http://127.0.0.1:${sandboxPort}`,
      // No PUBLIC_API_URL of its own: the app hears the bot by long polling. One given
      // (https, as Telegram requires) allows a webhook too: the sandbox delivers what is
      // sent there to this server (--deliver-to), as a TLS proxy in front of it would.
    },
  }),
];

const stop = () => children.forEach((child) => child.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => (stop(), (process.exitCode = code ?? 0)));
