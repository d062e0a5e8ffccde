"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError } from "@/components/ui/describe-error";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, setServerError, useZodForm } from "@/components/ui/use-zod-form";
import { useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { chatIdFormSchema } from "@/lib/schemas/telegram";

/**
 * "Ваш Chat ID": PATCH owner_chat_id. Until the user types, the field follows the server's
 * value, so a chat bound through the connect link or picked from the list shows up here.
 */
export function ChatIdForm({ ownerChatId }: { ownerChatId: number | null }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const update = useUpdateTelegramIntegration();
  const [saved, setSaved] = useState(false);
  const form = useZodForm(chatIdFormSchema, {
    values: { owner_chat_id: ownerChatId === null ? "" : String(ownerChatId) },
    resetOptions: { keepDirtyValues: true },
  });

  const onSubmit = form.handleSubmit(({ owner_chat_id }) =>
    update.mutate(
      { owner_chat_id },
      {
        onSuccess: () => {
          form.reset({ owner_chat_id: owner_chat_id === null ? "" : String(owner_chat_id) });
          setSaved(true);
        },
        onError: (caught) => setServerError(form, "owner_chat_id", describe(caught)),
      },
    ),
  );

  return (
    <form
      onSubmit={(event) => {
        setSaved(false);
        void onSubmit(event);
      }}
      noValidate
      className="space-y-2"
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-56">
          <TextField
            id="owner_chat_id"
            type="number"
            step={1}
            inputMode="numeric"
            label={t("chatId.label")}
            hint={ownerChatId === null ? t("chatId.notSet") : t("chatId.hint")}
            placeholder="123456789"
            error={fieldErrorText(form.formState.errors.owner_chat_id, { default: t("errors.chatIdInvalid") })}
            {...form.register("owner_chat_id", { onChange: () => setSaved(false) })}
          />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" disabled={update.isPending} className={ui.secondaryButton}>
          {update.isPending ? t("saving") : t("save")}
        </button>
        <StatusLine message={saved ? t("chatId.saved") : null} />
      </div>
    </form>
  );
}
