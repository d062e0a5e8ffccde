/**
 * Runs the Telegram Bot API sandbox from the command line:
 *   npx tsx sandbox/server.ts --port 8081 --deliver-to http://127.0.0.1:3000
 * and seeds a demo bot and a demo private chat so a person can try the app offline.
 */
import { parseArgs } from "node:util";
import { SandboxClient } from "./client";
import { startSandbox } from "./start-sandbox";

// Fixed so that a person's .env keeps working across sandbox restarts; it is not a secret.
const DEMO_TOKEN = "7000000001:AAHsandbox_demo_token_not_a_secret0";

const USAGE = `Usage: npx tsx sandbox/server.ts [options]
  --port <n>                 port to listen on (default 8081; 0 = any free port)
  --host <addr>              address to bind (default 127.0.0.1)
  --deliver-to <origin>      deliver webhooks here instead of the https URL's host, e.g. http://127.0.0.1:3000
  --no-rate-limits           switch Telegram's flood limits off
  --delivery-timeout-ms <n>  webhook delivery timeout (default 10000)
  --demo-token <token>       token of the demo bot (default: a fixed sandbox token, so .env can keep it)
  --no-seed                  don't create the demo bot and chat
  --help                     show this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8081" },
      host: { type: "string", default: "127.0.0.1" },
      "deliver-to": { type: "string" },
      "no-rate-limits": { type: "boolean", default: false },
      "delivery-timeout-ms": { type: "string" },
      "demo-token": { type: "string", default: DEMO_TOKEN },
      "no-seed": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const timeout = values["delivery-timeout-ms"] === undefined ? undefined : Number(values["delivery-timeout-ms"]);
  if (!Number.isInteger(port) || port < 0 || (timeout !== undefined && !(timeout > 0))) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }

  const sandbox = await startSandbox({
    port,
    host: values.host,
    ...(values["deliver-to"] === undefined ? {} : { deliverTo: values["deliver-to"] }),
    ...(values["no-rate-limits"] ? { rateLimits: { enabled: false } } : {}),
    ...(timeout === undefined ? {} : { deliveryTimeoutMs: timeout }),
  });
  console.log(`Telegram Bot API sandbox listening on ${sandbox.url}`);
  console.log(`  TELEGRAM_API_URL=${sandbox.url}`);
  console.log(`  control API: ${sandbox.url}/_sandbox/  (see sandbox/README.md)`);
  console.log(`  webhook deliveries go to: ${values["deliver-to"] ?? "the registered URL as-is"}`);

  if (!values["no-seed"]) {
    const client = new SandboxClient(sandbox.url);
    const bot = await client.createBot({
      username: "leadgram_demo_bot",
      first_name: "Leadgram Demo",
      token: values["demo-token"],
    });
    const chat = await client.createPrivateChat({ first_name: "Demo", last_name: "User", username: "demo_user" });
    // A sandbox token grants nothing outside this process, so printing it is safe.
    console.log(`Demo bot: @${bot.username} (id ${bot.id})`);
    console.log(`  token: ${bot.token}`);
    console.log(
      `Demo private chat: ${chat.first_name} ${chat.last_name ?? ""} (@${chat.username ?? ""}), chat id ${chat.id}`,
    );
    console.log(
      `  make the user press Start: curl -X POST ${sandbox.url}/_sandbox/bots/${bot.id}/updates -H 'content-type: application/json' -d '{"type":"start","chat_id":${chat.id}}'`,
    );
  }

  const shutDown = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutDown);
  process.once("SIGTERM", shutDown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
