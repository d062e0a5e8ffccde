// GET /api/v1/health — liveness for load balancers: answers 200 only when the database does
import { checkDatabase } from "@/lib/db/check-database";
import { json } from "@/lib/http/api-route";
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  return json(
    { status: database ? "ok" : "unavailable", database: database ? "ok" : "unreachable" },
    database ? 200 : 503,
  );
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
