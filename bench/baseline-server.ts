// The benchmark's floor: a bare node:http server that does only what a lead submission
// cannot avoid — parse the JSON body, commit the Lead row and its Delivery row in one
// transaction (same Prisma client, driver adapter and database settings as the app), answer
// 201. Started by bench/baseline.ts as a child process so it has its own event loop, like
// the app. On SQLite (a file: URL) or PostgreSQL (a postgresql: URL, the `pg` adapter with
// the app's pool size). Prints one JSON line {"port", "durability"} on stdout when ready.
//
//   BENCH_DATABASE_URL=file:/tmp/x/baseline.db tsx --conditions=react-server bench/baseline-server.ts
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "../lib/db/generated/postgresql/client";
import { PrismaClient } from "../lib/db/generated/sqlite/client";
import { migrateDatabase, sqliteFilePath } from "../lib/db/migrate";

const root = path.resolve(import.meta.dirname, "..");
const MAX_BODY_BYTES = 64 * 1024;
/** The app's known lead fields (lib/schemas/leads.ts) and their columns (lib/leads/lead-fields.ts). */
const COLUMNS = {
  name: "name",
  email: "email",
  phone: "phone",
  company: "company",
  message: "message",
  utm_source: "utmSource",
  utm_medium: "utmMedium",
  utm_campaign: "utmCampaign",
  utm_term: "utmTerm",
  utm_content: "utmContent",
  page: "page",
  device: "device",
  referrer: "referrer",
} as const;
type Column = (typeof COLUMNS)[keyof typeof COLUMNS];

const databaseUrl = process.env.BENCH_DATABASE_URL ?? "";
const onSqlite = databaseUrl.startsWith("file:");
if (!onSqlite && !/^postgres(ql)?:/.test(databaseUrl)) {
  console.error("BENCH_DATABASE_URL=file:<path> or postgresql://… is required");
  process.exit(2);
}

await migrateDatabase(databaseUrl, { root });
/** Both generated clients have the same API (lib/db/client.ts); the SQLite one's type stands for both. */
const db = onSqlite
  ? new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl, root), timeout: 5000 }) })
  : (new PostgresClient({
      adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    }) as unknown as PrismaClient);

/** The settings that decide when a commit is durable, as the database reports them. */
async function durability(): Promise<string> {
  if (!onSqlite) {
    const [row] = await db.$queryRawUnsafe<{ synchronous_commit: string; fsync: string }[]>(
      "SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync",
    );
    return `synchronous_commit=${row?.synchronous_commit}, fsync=${row?.fsync}`;
  }
  // As lib/start-services.ts does: every commit syncs the WAL before the 201.
  await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
  const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
  const [sync] = await db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
  return `journal_mode=${journal?.journal_mode}, synchronous=${Number(sync?.synchronous)} [2 = FULL]`;
}
const durabilitySettings = await durability();
const tenant = await db.tenant.create({ data: { name: "Baseline", siteKey: `baseline-${randomUUID()}` } });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The same row the app stores: known fields trimmed into columns, the rest as JSON in `extra`. */
function leadRow(body: Record<string, unknown>) {
  const columns: Partial<Record<Column, string>> = {};
  const extra: Record<string, string> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (raw === null || raw === undefined) continue;
    const value = String(raw);
    const column = (COLUMNS as Record<string, Column | undefined>)[key];
    if (column) {
      if (value.trim() !== "") columns[column] = value.trim();
    } else if (value.trim() !== "") {
      extra[key] = value;
    }
  }
  return { ...columns, extra: JSON.stringify(extra) };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") return send(res, 405, { detail: "Method not allowed" });
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req)).toString("utf8"));
  } catch {
    return send(res, 422, { detail: "JSON decode error" });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return send(res, 422, { detail: "Input should be a JSON object" });
  const leadId = randomUUID();
  const createdAt = new Date();
  await db.$transaction([
    db.lead.create({
      data: {
        id: leadId,
        tenantId: tenant.id,
        ...leadRow(body as Record<string, unknown>),
        clientIp: req.socket.remoteAddress ?? null,
        userAgent: req.headers["user-agent"] ?? null,
        createdAt,
      },
    }),
    db.delivery.create({ data: { tenantId: tenant.id, leadId, createdAt, nextAttemptAt: createdAt } }),
  ]);
  send(res, 201, { id: leadId, status: "received" });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (!res.headersSent) send(res, 500, { detail: String(error) });
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, durability: durabilitySettings })}\n`);
});

const stop = () => {
  server.close(() => void db.$disconnect().finally(() => process.exit(0)));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
