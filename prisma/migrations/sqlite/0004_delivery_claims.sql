-- Fenced delivery claims: every claim writes a fresh token, and every write of a
-- delivery's progress names it, so a sender whose claim was taken over changes nothing.
ALTER TABLE "Delivery" ADD COLUMN "claimToken" TEXT;
-- The 24-hour retry window starts when the notification is queued (at intake, again at a
-- resend). SQLite cannot add a NOT NULL column with a non-constant default: the constant
-- is never kept, every row gets its value just below and every insert names the column.
ALTER TABLE "Delivery" ADD COLUMN "queuedAt" DATETIME NOT NULL DEFAULT '1970-01-01T00:00:00.000+00:00';
UPDATE "Delivery" SET "queuedAt" = "createdAt";
