import "server-only";
import { resolveCaller, type Caller } from "@/lib/auth/resolve-caller";
import type { Role } from "@/lib/schemas/auth";
import { ApiError } from "./api-error";
import { apiRoute, type RouteHandler } from "./api-route";
import { assertSameOriginJson } from "./same-origin-json";

export type TenantContext = Caller & { params: Record<string, string | string[] | undefined> };

type TenantHandler = (req: Request, context: TenantContext) => Promise<Response>;

/**
 * The only way an /api/v1 handler gets a tenant: it declares the roles it allows and
 * receives the caller's tenant id, which every data-access function then requires.
 *
 *   export const GET = withTenant(async (req, { tenantId }) => ..., { roles: MANAGER_ROLES });
 */
export function withTenant(handler: TenantHandler, options: { roles: readonly Role[] }): RouteHandler {
  return apiRoute(async (req, context) => {
    const caller = await resolveCaller(req);
    if (!caller) throw ApiError.notAuthenticated();
    if (caller.via === "session") assertSameOriginJson(req);
    if (!options.roles.includes(caller.role)) throw ApiError.forbidden();
    return handler(req, { ...caller, params: await context.params });
  });
}
