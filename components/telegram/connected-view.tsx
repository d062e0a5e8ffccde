"use client";
import { useTranslations } from "next-intl";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { BotTokenSection } from "./bot-token-section";
import { ChatIdForm } from "./chat-id-form";
import { ChatIdHelp } from "./chat-id-help";
import { ChatList } from "./chat-list";
import { ConnectLink } from "./connect-link";
import { DeleteIntegration } from "./delete-integration";
import { DeliveryWarning } from "./delivery-warning";
import { TestMessage } from "./test-message";
import { ui } from "@/components/ui/styles";
import { WebhookSection } from "./webhook-section";

/** A bot is connected: the screen of the spec's sketch, block by block. */
export function ConnectedView({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram");
  return (
    <div className="space-y-4">
      <DeliveryWarning />
      {!integration.is_active ? (
        <p role="status" className={ui.warning}>
          {t("switch.offNotice")}
        </p>
      ) : null}
      <div className={`${ui.card} divide-y divide-slate-200`}>
        <BotTokenSection integration={integration} />
        <div className={ui.block}>
          <ChatIdForm ownerChatId={integration.owner_chat_id} />
          <ChatIdHelp />
          <ConnectLink integration={integration} />
          <TestMessage ownerChatId={integration.owner_chat_id} />
        </div>
        <WebhookSection integration={integration} />
        <ChatList integration={integration} />
        <DeleteIntegration />
      </div>
    </div>
  );
}
