// Generates the Prisma clients for both databases from the one schema.
//
// Prisma fixes the provider per schema file, so the PostgreSQL schema is derived from
// prisma/schema.prisma by swapping the provider and the output folder: the models cannot
// drift because they are written once. The schema engine is not needed to generate
// (Prisma uses its bundled wasm), and it cannot be downloaded on air-gapped machines, so
// the CLI is pointed at a no-op instead of fetching it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const sourcePath = path.join(root, "prisma/schema.prisma");
const derivedDir = path.join(root, "prisma/generated");
const stampPath = path.join(root, "lib/db/generated/.schema-hash");

export function derivePostgresSchema(source) {
  const derived = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('output       = "../lib/db/generated/sqlite"', 'output       = "../../lib/db/generated/postgresql"');
  if (!derived.includes('"postgresql"') || !derived.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma: datasource provider or generator output not in the expected form");
  }
  return derived;
}

function generate(schemaPath) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/prisma/build/index.js"), "generate", "--schema", schemaPath],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    },
  );
  if (result.status !== 0) throw new Error(`prisma generate failed for ${path.relative(root, schemaPath)}`);
}

const source = readFileSync(sourcePath, "utf8");
const hash = createHash("sha256").update(source).digest("hex");
const force = process.argv.includes("--force");
if (!force && existsSync(stampPath) && readFileSync(stampPath, "utf8") === hash) process.exit(0);

mkdirSync(derivedDir, { recursive: true });
const postgresSchemaPath = path.join(derivedDir, "postgresql.prisma");
writeFileSync(postgresSchemaPath, derivePostgresSchema(source));
generate(sourcePath);
generate(postgresSchemaPath);
writeFileSync(stampPath, hash);
console.log("Prisma clients generated for SQLite and PostgreSQL.");
