// Many leads in one tenant, fast: SQL straight into the server's database (a series of
// row numbers expanded by the database itself), not through the API. For the tests of
// large exports and filters, and the benchmark's 1 M-lead phase (bench/scale.ts).
import Database from "better-sqlite3";
import pg from "pg";

/** Delivery statuses and their weights, e.g. [["sent", 90], ["failed", 10]]. */
export type StatusMix = readonly (readonly [status: string, weight: number])[];

export type SeedOptions = {
  tenantId: string;
  count: number;
  /** The newest lead's creation time; each older pair of leads is `spacingMs` earlier. */
  newest: Date;
  spacingMs: number;
  mix: StatusMix;
  /** The `message` of every lead, followed by " #<n>". */
  message: string;
  /** Rows per INSERT statement, each its own transaction. */
  chunk?: number;
};

/**
 * Lead n (0 = oldest, count - 1 = newest), as the seeded rows have it. Leads come in pairs
 * that share a creation time, so the id tie-break of the order is exercised; ids grow with n,
 * so newest first is n descending.
 */
export function seededLead(options: SeedOptions, n: number) {
  const pair = Math.floor((options.count - 1 - n) / 2);
  return {
    id: leadId(options.tenantId, n),
    createdAt: new Date(options.newest.getTime() - pair * options.spacingMs),
    name: `Lead ${n}`,
    email: `lead${n}@example.com`,
    phone: n % 1000 === 0 ? "=1+2" : `+7 900 ${String(n).padStart(7, "0")}`,
    message: `${options.message} #${n}`,
    status: statusOf(options.mix, n),
  };
}

/** UUID-shaped and ordered by n (the tenant's first 8 hex digits keep tenants apart). */
function leadId(tenantId: string, n: number): string {
  return `${tenantId.replace(/-/g, "").slice(0, 8)}-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

function statusOf(mix: StatusMix, n: number): string {
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let slot = n % total;
  for (const [status, weight] of mix) {
    if (slot < weight) return status;
    slot -= weight;
  }
  throw new Error("unreachable: the slot is below the total weight");
}

type Dialect = {
  /** The row numbers from $from to $to as a relation `seq(n)`. */
  series: string;
  /** Text of n padded to 12 digits. */
  pad12: (n: string) => string;
  /** A timestamp column value from epoch milliseconds. */
  timestamp: (ms: string) => string;
  /** A named parameter used as text, or as an integer. */
  text: (name: string) => string;
  int: (name: string) => string;
};

const SQLITE: Dialect = {
  series: "WITH RECURSIVE seq(n) AS (SELECT CAST($from AS INTEGER) UNION ALL SELECT n + 1 FROM seq WHERE n < $to)",
  pad12: (n) => `substr('000000000000' || (${n}), -12)`,
  // The Prisma adapter's format: ISO 8601 with milliseconds and "+00:00".
  timestamp: (ms) =>
    `strftime('%Y-%m-%dT%H:%M:%S', (${ms}) / 1000, 'unixepoch') || '.' || substr('000' || ((${ms}) % 1000), -3) || '+00:00'`,
  text: (name) => `$${name}`,
  // better-sqlite3 binds every JS number as a REAL.
  int: (name) => `CAST($${name} AS INTEGER)`,
};

const POSTGRES: Dialect = {
  series: "WITH seq(n) AS (SELECT generate_series($from::bigint, $to::bigint))",
  pad12: (n) => `lpad((${n})::text, 12, '0')`,
  timestamp: (ms) => `timestamp '1970-01-01' + (${ms}) * interval '1 millisecond'`,
  text: (name) => `$${name}::text`,
  int: (name) => `$${name}::bigint`,
};

/** Named parameters: from, to (the range of n), tenant, newest (ms), spacing (ms), count, message, prefix (of ids). */
function insertStatements(dialect: Dialect, mix: StatusMix): { leads: string; deliveries: string } {
  const p = dialect.text;
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let upTo = 0;
  const statusCase = `CASE ${mix.map(([status, weight]) => `WHEN n % ${total} < ${(upTo += weight)} THEN '${status}'`).join(" ")} END`;
  const createdMs = `${dialect.int("newest")} - ((${dialect.int("count")} - 1 - n) / 2) * ${dialect.int("spacing")}`;
  const created = dialect.timestamp(createdMs);
  const leadIdSql = `${p("prefix")} || '-0000-4000-8000-' || ${dialect.pad12("n")}`;
  const farFuture = dialect.timestamp("4102444800000"); // 2100-01-01: seeded retries and leases are not due (pending ones are due at once)
  const leads = `${dialect.series}
    INSERT INTO "Lead" ("id", "tenantId", "name", "email", "phone", "message", "page", "utmSource", "utmCampaign", "device", "extra", "clientIp", "userAgent", "createdAt")
    SELECT ${leadIdSql}, ${p("tenant")}, 'Lead ' || n, 'lead' || n || '@example.com',
           CASE WHEN n % 1000 = 0 THEN '=1+2' ELSE '+7 900 ' || substr(${dialect.pad12("n")}, 6) END,
           ${p("message")} || ' #' || n, 'https://shop.example.com/contact', 'google', 'spring_sale', 'desktop',
           CASE WHEN n % 10 = 0 THEN '{"budget":"1000-5000"}' ELSE '{}' END, '203.0.113.7', 'Mozilla/5.0 (seeded)', ${created}
    FROM seq`;
  const deliveries = `${dialect.series}, rows AS (SELECT n, ${statusCase} AS status FROM seq)
    INSERT INTO "Delivery" ("id", "tenantId", "leadId", "status", "attempts", "lastError", "reasonCode", "partsSent", "nextAttemptAt", "leaseUntil", "sentAt", "createdAt", "updatedAt")
    SELECT ${p("prefix")} || '-0000-4000-9000-' || ${dialect.pad12("n")}, ${p("tenant")}, ${leadIdSql}, status,
           CASE status WHEN 'pending' THEN 0 WHEN 'skipped' THEN 0 WHEN 'retrying' THEN 3 ELSE 1 END,
           CASE status WHEN 'failed' THEN 'Forbidden: bot was blocked by the user' WHEN 'skipped' THEN 'No active Telegram integration'
                       WHEN 'retrying' THEN 'Telegram API unavailable' ELSE NULL END,
           CASE status WHEN 'failed' THEN 'bot_blocked' WHEN 'skipped' THEN 'no_integration' WHEN 'retrying' THEN 'telegram_unavailable' ELSE NULL END,
           CASE status WHEN 'sent' THEN 1 ELSE 0 END,
           CASE WHEN status IN ('pending', 'sending', 'retrying') THEN ${farFuture} ELSE ${created} END,
           CASE status WHEN 'sending' THEN ${farFuture} ELSE NULL END,
           CASE status WHEN 'sent' THEN ${created} ELSE NULL END,
           ${created}, ${created}
    FROM rows`;
  return { leads, deliveries };
}

type Params = Record<string, string | number>;

/** node-postgres numbers its parameters: $name becomes $1, $2... in order of first use. */
function positional(sql: string, params: Params): [string, (string | number)[]] {
  const names: string[] = [];
  const text = sql.replace(/\$([a-z]\w*)/g, (_, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return [text, names.map((name) => params[name] ?? "")];
}

/** Inserts the leads with one delivery each; returns the seconds it took. */
export async function seedLeads(databaseUrl: string, options: SeedOptions): Promise<number> {
  const started = performance.now();
  const chunk = options.chunk ?? 50_000;
  const prefix = options.tenantId.replace(/-/g, "").slice(0, 8);
  const ranges: [number, number][] = [];
  for (let from = 0; from < options.count; from += chunk)
    ranges.push([from, Math.min(options.count, from + chunk) - 1]);
  const params = (from: number, to: number): Params => ({
    from,
    to,
    tenant: options.tenantId,
    newest: options.newest.getTime(),
    spacing: options.spacingMs,
    count: options.count,
    message: options.message,
    prefix,
  });

  if (databaseUrl.startsWith("file:")) {
    const sqlite = new Database(databaseUrl.slice("file:".length), { timeout: 30_000 });
    try {
      sqlite.pragma("synchronous = NORMAL"); // test data: no need to survive a power cut
      const { leads, deliveries } = insertStatements(SQLITE, options.mix);
      const insertLeads = sqlite.prepare(leads);
      const insertDeliveries = sqlite.prepare(deliveries);
      const insertRange = sqlite.transaction((from: number, to: number) => {
        insertLeads.run(params(from, to));
        insertDeliveries.run(params(from, to));
      });
      for (const [from, to] of ranges) insertRange(from, to);
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      sqlite.close();
    }
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { leads, deliveries } = insertStatements(POSTGRES, options.mix);
      // On PostgreSQL a "sending" delivery is held by its lane's lease, not its own: the
      // site's lane is taken first, by a server that is not there, until 2100.
      if (options.mix.some(([status]) => status === "sending")) {
        await client.query(
          `INSERT INTO "_leadgram_delivery_lane" ("tenantId", "holder", "leaseUntil", "fencingToken")
           VALUES ($1, 'seeded-elsewhere', timestamp '2100-01-01', 1)
           ON CONFLICT ("tenantId") DO UPDATE SET "holder" = EXCLUDED."holder", "leaseUntil" = EXCLUDED."leaseUntil"`,
          [options.tenantId],
        );
      }
      for (const [from, to] of ranges) {
        await client.query("BEGIN");
        await client.query(...positional(leads, params(from, to)));
        await client.query(...positional(deliveries, params(from, to)));
        await client.query("COMMIT");
      }
      // What autovacuum would do after a while (statistics, visibility map), done now so
      // that it does not run in the middle of a measurement.
      await client.query('VACUUM (ANALYZE) "Lead", "Delivery"');
    } finally {
      await client.end();
    }
  }
  return (performance.now() - started) / 1000;
}
