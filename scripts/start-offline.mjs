// `npm run start:offline`: Leadgram with the local Telegram Bot API sandbox instead of
// Telegram, to try the whole flow without network: connect the demo bot the sandbox
// prints, register the webhook, and drive the demo chat through the sandbox's control API.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale } from "./build.mjs";

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
  spawn(process.execPath, ["scripts/server.mjs"], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      PORT: port,
      TELEGRAM_API_URL: `http://127.0.0.1:${sandboxPort}`,
      // Telegram (and so the sandbox) only accepts https webhook URLs; the sandbox delivers
      // what is sent there to this server, as a TLS proxy in front of it would.
      PUBLIC_API_URL: process.env.PUBLIC_API_URL ?? "https://leadgram.offline",
    },
  }),
];

const stop = () => children.forEach((child) => child.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => (stop(), (process.exitCode = code ?? 0)));
