"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { useDescribeError, type ShownError } from "./describe-error";
import { ErrorAlert } from "./error-alert";
import { parseChatId } from "./parse-chat-id";
import { TextField } from "./text-field";
import { ui } from "./ui";

/**
 * "Ваш Chat ID": PATCH owner_chat_id. Until the user types, the field follows the server's
 * value, so a chat bound through the connect link or picked from the list shows up here.
 */
export function ChatIdForm({ ownerChatId }: { ownerChatId: number | null }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const update = useUpdateTelegramIntegration();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [saved, setSaved] = useState(false);
  const value = draft ?? (ownerChatId === null ? "" : String(ownerChatId));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const chatId = parseChatId(value);
    if (chatId === undefined) {
      setError({ message: t("errors.chatIdInvalid"), detail: null });
      document.getElementById("owner_chat_id")?.focus();
      return;
    }
    setError(null);
    update.mutate(
      { owner_chat_id: chatId },
      {
        onSuccess: () => {
          setDraft(null);
          setSaved(true);
        },
        onError: (caught) => {
          setError(describe(caught));
          document.getElementById("owner_chat_id")?.focus();
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-56">
          <TextField
            id="owner_chat_id"
            name="owner_chat_id"
            type="number"
            step={1}
            inputMode="numeric"
            label={t("chatId.label")}
            hint={ownerChatId === null ? t("chatId.notSet") : t("chatId.hint")}
            placeholder="123456789"
            value={value}
            onChange={(event) => {
              setDraft(event.target.value);
              setSaved(false);
            }}
            error={error ? <ErrorAlert error={error} /> : undefined}
          />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" disabled={update.isPending} className={ui.secondaryButton}>
          {update.isPending ? t("saving") : t("save")}
        </button>
        <div role="status">{saved ? <p className="text-sm text-green-800">{t("chatId.saved")}</p> : null}</div>
      </div>
    </form>
  );
}
