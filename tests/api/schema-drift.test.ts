import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

/**
 * The SQL migrations are written by hand (lib/db/migrate.ts says why), so this proves
 * that the migrated database has exactly the tables and columns of prisma/schema.prisma,
 * with matching types and nullability, on the database this suite runs against.
 */

type Column = { type: string; nullable: boolean };
type Tables = Map<string, Map<string, Column>>;

const SCALARS: Record<string, { sqlite: string; postgresql: string }> = {
  String: { sqlite: "TEXT", postgresql: "text" },
  Int: { sqlite: "INTEGER", postgresql: "integer" },
  BigInt: { sqlite: "BIGINT", postgresql: "bigint" },
  Boolean: { sqlite: "BOOLEAN", postgresql: "boolean" },
  DateTime: { sqlite: "DATETIME", postgresql: "timestamp without time zone" },
};

function tablesFromPrismaSchema(database: "sqlite" | "postgresql"): Tables {
  const schema = readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
  const tables: Tables = new Map();
  for (const [, model = "", body = ""] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const columns = new Map<string, Column>();
    for (const [, field = "", type = "", optional] of body.matchAll(/^\s+(\w+)\s+(\w+)(\?|\[\])?/gm)) {
      const scalar = SCALARS[type];
      if (!scalar || optional === "[]") continue; // relation fields have no column
      columns.set(field, { type: scalar[database], nullable: optional === "?" });
    }
    tables.set(model, columns);
  }
  return tables;
}

function sqliteTables(file: string): Tables {
  const sqlite = new Database(file, { readonly: true });
  try {
    const names = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'",
      )
      .all() as { name: string }[];
    return new Map(
      names.map(({ name }) => {
        const columns = sqlite.prepare(`PRAGMA table_info("${name}")`).all() as {
          name: string;
          type: string;
          notnull: number;
          pk: number;
        }[];
        return [
          name,
          new Map(
            columns.map((column) => [
              column.name,
              { type: column.type, nullable: column.notnull === 0 && column.pk === 0 },
            ]),
          ),
        ];
      }),
    );
  } finally {
    sqlite.close();
  }
}

async function postgresTables(url: string): Promise<Tables> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'",
    );
    const tables: Tables = new Map();
    for (const row of rows) {
      const columns = tables.get(row.table_name) ?? new Map<string, Column>();
      columns.set(row.column_name, { type: row.data_type, nullable: row.is_nullable === "YES" });
      tables.set(row.table_name, columns);
    }
    return tables;
  } finally {
    await client.end();
  }
}

const sortedObject = (tables: Tables) =>
  Object.fromEntries(
    [...tables]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, columns]) => [name, Object.fromEntries([...columns].sort(([a], [b]) => a.localeCompare(b)))]),
  );

describe("migrations match the Prisma schema", () => {
  it("has the same tables, columns, types and nullability", async () => {
    const database = inject("database");
    const url = inject("databaseUrl");
    const actual = database === "sqlite" ? sqliteTables(url.slice("file:".length)) : await postgresTables(url);
    const expected = tablesFromPrismaSchema(database);
    expect(expected.size).toBeGreaterThanOrEqual(11);
    expect(sortedObject(actual)).toEqual(sortedObject(expected));
  });
});
