// GET /api/v1/leads/export.csv — all of the site's leads as a CSV file, streamed page by page
import { otherMethodsRefused } from "@/lib/http/other-methods-refused";
import { withTenant } from "@/lib/http/with-tenant";
import { exportLeadsCsv } from "@/lib/leads/export-leads-csv";
import { ROLES } from "@/lib/schemas/auth";

export const GET = withTenant(
  async (_req, { tenantId }) =>
    new Response(await exportLeadsCsv(tenantId), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="leads.csv"',
        "Cache-Control": "no-store",
      },
    }),
  { roles: ROLES },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethodsRefused({ GET });
