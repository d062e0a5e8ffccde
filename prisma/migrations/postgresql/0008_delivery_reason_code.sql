-- Delivery outcomes store a reason code beside Telegram's own description, so the inbox
-- and the warnings choose their text from the code rather than from Telegram's wording.
ALTER TABLE "Delivery" ADD COLUMN "reasonCode" TEXT;
ALTER TABLE "DeliveryAttempt" ADD COLUMN "reasonCode" TEXT;

-- Rows written before: classified from the description where it says enough, else left null.
UPDATE "Delivery" SET "reasonCode" = CASE
    WHEN "lastError" = 'No active Telegram integration' THEN 'no_integration'
    WHEN "lastError" = 'No chat configured for notifications' THEN 'no_chat'
    WHEN "lastError" = 'Telegram API unavailable' THEN 'telegram_unavailable'
    WHEN "lastError" LIKE 'Gave up after 24 hours:%' THEN 'gave_up'
    WHEN "lastError" LIKE 'The stored bot token cannot be decrypted%' THEN 'token_unreadable'
    WHEN "lastError" = 'Forbidden: bot was blocked by the user' THEN 'bot_blocked'
    WHEN "lastError" LIKE 'Forbidden: bot was kicked from the %' THEN 'kicked'
    WHEN "lastError" = 'Forbidden: user is deactivated' THEN 'user_deactivated'
    WHEN "lastError" = 'Bad Request: chat not found' THEN 'chat_not_found'
    WHEN "lastError" LIKE 'Unauthorized%' THEN 'token_revoked'
  END
  WHERE "lastError" IS NOT NULL;

UPDATE "DeliveryAttempt" SET "reasonCode" = CASE
    WHEN "description" = 'No active Telegram integration' THEN 'no_integration'
    WHEN "description" = 'No chat configured for notifications' THEN 'no_chat'
    WHEN "description" = 'Telegram API unavailable' THEN 'telegram_unavailable'
    WHEN "description" LIKE 'Gave up after 24 hours:%' THEN 'gave_up'
    WHEN "description" LIKE 'The stored bot token cannot be decrypted%' THEN 'token_unreadable'
    WHEN "errorCode" = 401 THEN 'token_revoked'
    WHEN "errorCode" = 429 THEN 'rate_limited'
    WHEN "errorCode" >= 500 THEN 'telegram_unavailable'
    WHEN "errorCode" = 403 AND "description" = 'Forbidden: bot was blocked by the user' THEN 'bot_blocked'
    WHEN "errorCode" = 403 AND "description" LIKE 'Forbidden: bot was kicked from the %' THEN 'kicked'
    WHEN "errorCode" = 403 AND "description" = 'Forbidden: user is deactivated' THEN 'user_deactivated'
    WHEN "errorCode" = 400 AND "description" = 'Bad Request: chat not found' THEN 'chat_not_found'
    WHEN "errorCode" IS NOT NULL THEN 'telegram_error'
  END
  WHERE "description" IS NOT NULL;
