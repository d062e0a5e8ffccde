-- Fenced delivery claims: every claim writes a fresh token, and every write of a
-- delivery's progress names it, so a sender whose claim was taken over changes nothing.
ALTER TABLE "Delivery" ADD COLUMN "claimToken" TEXT;
-- The 24-hour retry window starts when the notification is queued (at intake, again at a resend).
ALTER TABLE "Delivery" ADD COLUMN "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "Delivery" SET "queuedAt" = "createdAt";
