"use client";
import { useTranslations } from "next-intl";
import { useCreateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { BotFatherSteps } from "./botfather-steps";
import { useDescribeError } from "@/components/ui/describe-error";
import { fieldErrorText, setServerError, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { setupFormSchema } from "@/lib/schemas/telegram";
import { focusLater, PAGE_TITLE_ID, SETUP_TITLE_ID } from "./focus-later";
import { TextAreaField, TextField } from "@/components/ui/text-field";
import { ui } from "@/components/ui/styles";

/** No bot yet: the BotFather steps and the form that connects one (POST /integration). */
export function SetupForm() {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const create = useCreateTelegramIntegration();
  const form = useZodForm(setupFormSchema, {
    defaultValues: { bot_token: "", owner_chat_id: "", welcome_message: "" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(({ bot_token, owner_chat_id, welcome_message }) =>
    create.mutate(
      { bot_token, owner_chat_id: owner_chat_id ?? undefined, welcome_message: welcome_message || undefined },
      {
        onSuccess: () => focusLater(PAGE_TITLE_ID),
        onError: (error) => {
          // A 422 names its field; whatever else the server refuses is about the token.
          if (showServerIssues(form, error, ["owner_chat_id", "welcome_message"])) return;
          setServerError(form, "bot_token", describe(error));
        },
      },
    ),
  );

  return (
    <section aria-labelledby={SETUP_TITLE_ID} className={`${ui.card} ${ui.block} space-y-4`}>
      <h2 id={SETUP_TITLE_ID} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        {t("setup.title")}
      </h2>
      <p className={ui.muted}>{t("setup.lead")}</p>
      <BotFatherSteps />
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="space-y-4">
        <TextField
          id="bot_token"
          label={t("setup.tokenLabel")}
          hint={t("setup.tokenHint")}
          placeholder="123456789:ABC-DEF..."
          autoComplete="off"
          spellCheck={false}
          required
          error={fieldErrorText(errors.bot_token, { default: t("errors.tokenRequired") })}
          {...form.register("bot_token")}
        />
        <TextField
          id="owner_chat_id"
          type="number"
          step={1}
          inputMode="numeric"
          label={t("setup.chatIdLabel")}
          hint={t("setup.chatIdHint")}
          placeholder="123456789"
          error={fieldErrorText(errors.owner_chat_id, { default: t("errors.chatIdInvalid") })}
          {...form.register("owner_chat_id")}
        />
        <TextAreaField
          id="welcome_message"
          rows={3}
          maxLength={4000}
          label={t("setup.welcomeLabel")}
          hint={t("setup.welcomeHint")}
          error={fieldErrorText(errors.welcome_message, {})}
          {...form.register("welcome_message")}
        />
        <button type="submit" disabled={create.isPending} className={`${ui.primaryButton} w-full sm:w-auto`}>
          {create.isPending ? t("setup.submitting") : t("setup.submit")}
        </button>
      </form>
    </section>
  );
}
