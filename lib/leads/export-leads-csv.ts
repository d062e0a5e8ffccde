import "server-only";
import { stringify } from "csv-stringify/sync";
import { db } from "@/lib/db/client";
import { KNOWN_LEAD_FIELDS } from "@/lib/schemas/leads";
import { toLeadDto } from "./lead-dto";

const COLUMNS = ["id", "created_at", ...KNOWN_LEAD_FIELDS, "extra", "delivery_status", "delivery_error"] as const;

/**
 * Spreadsheet programs execute cells that start with these characters as formulas; a lead
 * is text typed by anyone, so such cells get a leading apostrophe (OWASP "CSV injection").
 */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** GET /api/v1/leads/export.csv: every lead of the tenant, newest first, UTF-8 with BOM for Excel. */
export async function exportLeadsCsv(tenantId: string): Promise<string> {
  const leads = await db().lead.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { deliveries: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  const rows = leads.map((row) => {
    const lead = toLeadDto(row);
    const record: Record<string, string> = { id: lead.id, created_at: lead.created_at, extra: Object.keys(lead.extra).length ? JSON.stringify(lead.extra) : "" };
    for (const field of KNOWN_LEAD_FIELDS) record[field] = lead[field] ?? "";
    record.delivery_status = lead.delivery.status;
    record.delivery_error = lead.delivery.last_error ?? "";
    return COLUMNS.map((column) => neutraliseFormula(record[column] ?? ""));
  });
  return "\uFEFF" + stringify([[...COLUMNS], ...rows]);
}
