import "server-only";
import { stringify } from "csv-stringify/sync";
import type { Delivery, Lead } from "@/lib/db/generated/sqlite/client";
import { KNOWN_LEAD_FIELDS } from "@/lib/schemas/leads";
import { toLeadDto } from "./lead-dto";
import { leadsPage, type Position } from "./lead-queries";

/** New columns go at the end, so spreadsheets built on the earlier ones keep working. */
const COLUMNS = [
  "id",
  "created_at",
  ...KNOWN_LEAD_FIELDS,
  "extra",
  "delivery_status",
  "delivery_error",
  "state",
] as const;

/**
 * Leads read per query. Prisma fetches a page's deliveries with one `IN` list of its lead
 * ids and refuses more bind values than it allows the database (999 on SQLite, 32 766 on
 * PostgreSQL): reading every lead at once failed from 1 000 leads on SQLite.
 */
const PAGE_SIZE = 500;

/**
 * Spreadsheet programs execute cells that start with these characters as formulas; a lead
 * is text typed by anyone, so such cells get a leading apostrophe (OWASP "CSV injection").
 */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvRow(row: Lead & { deliveries: Delivery[] }): string[] {
  const lead = toLeadDto(row);
  const record: Record<string, string> = {
    id: lead.id,
    created_at: lead.created_at,
    extra: Object.keys(lead.extra).length ? JSON.stringify(lead.extra) : "",
  };
  for (const field of KNOWN_LEAD_FIELDS) record[field] = lead[field] ?? "";
  record.delivery_status = lead.delivery.status;
  record.delivery_error = lead.delivery.last_error ?? "";
  record.state = lead.state;
  return COLUMNS.map((column) => neutraliseFormula(record[column] ?? ""));
}

type CsvPage = { bytes: Uint8Array; next: Position | null };
const encoder = new TextEncoder();

/**
 * One page of leads as CSV bytes, and where the next page starts (null after the last).
 * Only the bytes outlive the call: a page of lead objects kept across the wait for a slow
 * client lives long enough for the garbage collector to promote it, and the server's heap
 * then grows by hundreds of megabytes over a large export.
 */
async function csvPage(tenantId: string, after: Position | null): Promise<CsvPage> {
  const page = await leadsPage(tenantId, after, PAGE_SIZE);
  const last = page.at(-1);
  return {
    bytes: encoder.encode(stringify(page.map(({ lead }) => csvRow(lead)))),
    next: page.length === PAGE_SIZE && last ? last.position : null,
  };
}

/**
 * GET /api/v1/leads/export.csv: every lead of the tenant, newest first, UTF-8 with BOM for
 * Excel, as a stream read one page at a time. The stream is pulled: the next page is read
 * only when the client has taken the previous one, so a slow download holds a page or two
 * in memory, not the file. The first page is read before answering, so a failing database
 * still gets an error response. Leads that arrive during the export are newer than its
 * first page and are not in the file.
 */
export async function exportLeadsCsv(tenantId: string): Promise<ReadableStream<Uint8Array>> {
  let page = await csvPage(tenantId, null);
  const header = encoder.encode(`\uFEFF${stringify([[...COLUMNS]])}`);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(header);
    },
    async pull(controller) {
      if (page.bytes.length > 0) controller.enqueue(page.bytes);
      if (!page.next) {
        controller.close();
        return;
      }
      // Read ahead while the client downloads this page.
      page = await csvPage(tenantId, page.next);
    },
  });
}
