// `npm test`: every suite, in order, on real parts: lint, the production build (which
// type-checks), Vitest (unit tests, then the HTTP suite against real servers on SQLite and
// on a throwaway PostgreSQL), then Playwright in Debian's Chromium. Ends with one line
// "N passed, M failed" summed over all suites; exits non-zero if anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { buildIfStale } from "./build.mjs";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results/reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const bin = (name) => path.join(root, "node_modules/.bin", name);
const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
const broken = [];

if (run(bin("eslint"), [".", "--max-warnings=0"]) !== 0) broken.push("lint");
if (run(bin("prettier"), ["--check", "--log-level=warn", "."]) !== 0) broken.push("format");
buildIfStale();

const vitestReport = path.join(reports, "vitest.json");
const vitestStatus = run(bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestReport}`,
]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
if (vitestStatus !== 0) broken.push("vitest");

const playwrightReport = path.join(reports, "playwright.json");
const playwrightStatus = run(bin("playwright"), ["test", "--reporter=list,json"], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
});
if (existsSync(playwrightReport)) {
  const { stats } = JSON.parse(readFileSync(playwrightReport, "utf8"));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
}
if (playwrightStatus !== 0) broken.push("playwright");

if (broken.length > 0) console.log(`\nFailed: ${broken.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken.length > 0 || failed > 0 ? 1 : 0);
