// @ts-check
// JavaScript, not TypeScript: the production server loads this file at every start, and a
// next.config.ts makes it load Next's SWC compiler (about 25 MB of resident native code) to
// read it. Likewise next-intl's plugin, which loads @swc/core and @parcel/watcher (another
// 12 MB), is only needed to build: the server gets the bare configuration.
import { PHASE_PRODUCTION_SERVER } from "next/constants.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native addons and Node-only drivers are loaded from node_modules at run time.
  serverExternalPackages: [
    "better-sqlite3",
    "@node-rs/argon2",
    "pg",
    "pino",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
  ],
  poweredByHeader: false,
};

/** @param {string} phase */
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig;
  const { default: createNextIntlPlugin } = await import("next-intl/plugin");
  return createNextIntlPlugin("./lib/i18n/request.ts")(nextConfig);
}
