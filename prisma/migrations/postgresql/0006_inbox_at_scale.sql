-- The inbox at a million leads per site: every list filter and cursor page, and the CSV
-- export, read an index range in order instead of scanning and sorting the site's leads.
DROP INDEX "Lead_tenantId_createdAt_idx";
CREATE INDEX "Lead_tenantId_createdAt_id_idx" ON "Lead"("tenantId", "createdAt", "id");

-- Leads by delivery status, newest first. Replaces (tenantId, status), its prefix.
DROP INDEX "Delivery_tenantId_status_idx";
CREATE INDEX "Delivery_tenantId_status_createdAt_leadId_idx" ON "Delivery"("tenantId", "status", "createdAt", "leadId");
