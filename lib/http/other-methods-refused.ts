import "server-only";
import { errorJson, type RouteHandler } from "./api-route";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

type Refusals<Defined> = { [M in Exclude<Method, keyof Defined>]: RouteHandler };

/**
 * Next answers a method a route module does not export with an empty 405 and no `Allow`
 * (next/dist/server/route-modules/app-route/helpers/auto-implement-methods.js), and has
 * no hook to change that. So each /api/v1 route exports the methods it lacks from here:
 * they answer the contract's `{"detail": ...}` with `Allow`. OPTIONS is among them unless
 * the route defines it, because Next's own OPTIONS would list these refusals as allowed.
 *
 *   export const GET = withTenant(...);
 *   export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
 */
export function otherMethodsRefused<Defined extends Partial<Record<Method, RouteHandler>>>(
  defined: Defined,
): Refusals<Defined> {
  const allowed = new Set<string>([...Object.keys(defined), "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  const allow = [...allowed].sort().join(", ");
  const refuse: RouteHandler = async () => errorJson(405, "method_not_allowed", "Method Not Allowed", { Allow: allow });
  const options: RouteHandler = async () => new Response(null, { status: 204, headers: { Allow: allow } });
  const missing = METHODS.filter((method) => !(method in defined));
  return Object.fromEntries(
    missing.map((method) => [method, method === "OPTIONS" ? options : refuse]),
  ) as Refusals<Defined>;
}
