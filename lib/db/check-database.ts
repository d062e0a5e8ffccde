import "server-only";
import { log } from "@/lib/log";
import { db } from "./client";

export async function checkDatabase(): Promise<boolean> {
  try {
    await db().$queryRaw`SELECT 1`;
    return true;
  } catch (error) {
    log.warn({ err: error }, "health check: database unreachable");
    return false;
  }
}
