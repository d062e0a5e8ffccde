import "server-only";
import { log } from "@/lib/log";
import type { TestMessageResponse } from "@/lib/schemas/telegram";
import { telegramFor } from "../bot-api";
import { telegramFailureMessage } from "../telegram-failure-message";
import { deliveryReasonCode } from "../telegram-failure-reason";
import { requireIntegration } from "./find-integration";

const TEST_TEXT = "✅ Leadgram: тестовое сообщение. Уведомления о новых заявках будут приходить в этот чат.";

/**
 * POST /api/v1/telegram/integration/test. Always answers 200: the outcome, Telegram's
 * refusal included (e.g. "Forbidden: bot was blocked by the user"), is in the body.
 */
export async function sendTestMessage(
  tenantId: string,
  chatId: number | null | undefined,
): Promise<TestMessageResponse> {
  const integration = await requireIntegration(tenantId);
  const target = chatId ?? (integration.ownerChatId === null ? null : Number(integration.ownerChatId));
  if (target === null)
    return {
      success: false,
      message: "No chat_id provided and owner_chat_id not configured",
      reason_code: "no_chat",
      chat_id: null,
    };
  try {
    await telegramFor(integration).sendMessage(target, TEST_TEXT);
    return { success: true, message: "Test message sent!", reason_code: null, chat_id: target };
  } catch (error) {
    log.warn(
      { tenant: tenantId, err: error instanceof Error ? error.message : String(error) },
      "test message not sent",
    );
    return {
      success: false,
      message: telegramFailureMessage(error),
      reason_code: deliveryReasonCode(error),
      chat_id: target,
    };
  }
}
