-- Delivery outcomes store a reason code beside Telegram's own description, so the inbox
-- and the warnings choose their text from the code rather than from Telegram's wording.
ALTER TABLE "Delivery" ADD COLUMN "reasonCode" TEXT;
ALTER TABLE "DeliveryAttempt" ADD COLUMN "reasonCode" TEXT;

-- Attempts written before: classified as lib/telegram/telegram-failure-reason.ts would have,
-- from Telegram's error code and description (Leadgram's own descriptions by their wording).
UPDATE "DeliveryAttempt" SET "reasonCode" = CASE
    WHEN "description" = 'No active Telegram integration' THEN 'no_integration'
    WHEN "description" = 'No chat configured for notifications' THEN 'no_chat'
    WHEN "description" = 'Telegram API unavailable' THEN 'telegram_unavailable'
    WHEN "description" LIKE 'Gave up after 24 hours:%' THEN 'gave_up'
    WHEN "description" LIKE 'The stored bot token cannot be decrypted%' THEN 'token_unreadable'
    WHEN "description" LIKE '%upgraded to a supergroup%' THEN 'chat_migrated'
    WHEN "errorCode" = 401 THEN 'token_revoked'
    WHEN "errorCode" = 429 THEN 'rate_limited'
    WHEN "errorCode" >= 500 THEN 'telegram_unavailable'
    WHEN "errorCode" = 403 AND "description" LIKE '%bot was blocked by the user%' THEN 'bot_blocked'
    WHEN "errorCode" = 403 AND "description" LIKE '%bot was kicked from the%' THEN 'kicked'
    WHEN "errorCode" = 403 AND "description" LIKE '%user is deactivated%' THEN 'user_deactivated'
    WHEN "errorCode" = 400 AND "description" LIKE '%chat not found%' THEN 'chat_not_found'
    WHEN "errorCode" IS NOT NULL THEN 'telegram_error'
  END
  WHERE "description" IS NOT NULL;

-- A delivery's reason is its latest attempt's (a resend cleared lastError, and with it the reason).
UPDATE "Delivery" SET "reasonCode" = (
    SELECT a."reasonCode" FROM "DeliveryAttempt" a
    WHERE a."deliveryId" = "Delivery"."id"
    ORDER BY a."attemptedAt" DESC
    LIMIT 1)
  WHERE "lastError" IS NOT NULL;
