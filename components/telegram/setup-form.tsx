"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useCreateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { ApiClientError } from "@/lib/api/api-client";
import { BotFatherSteps } from "./botfather-steps";
import { useDescribeError, type ShownError } from "./describe-error";
import { ErrorAlert } from "./error-alert";
import { focusLater, PAGE_TITLE_ID, SETUP_TITLE_ID } from "./focus-later";
import { parseChatId } from "./parse-chat-id";
import { TextAreaField, TextField } from "./text-field";
import { ui } from "./ui";

type FieldErrors = { token?: ShownError; chatId?: ShownError; welcome?: ShownError };

/** A validation error (422) names its field in `loc`; everything else the server says is about the token. */
function fieldOf(error: unknown): keyof FieldErrors {
  if (error instanceof ApiClientError && error.code === "validation_error") {
    if (error.failedField("owner_chat_id")) return "chatId";
    if (error.failedField("welcome_message")) return "welcome";
  }
  return "token";
}

/** No bot yet: the BotFather steps and the form that connects one (POST /integration). */
export function SetupForm() {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const create = useCreateTelegramIntegration();
  const [errors, setErrors] = useState<FieldErrors>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const botToken = String(form.get("bot_token") ?? "").trim();
    const chatId = parseChatId(String(form.get("owner_chat_id") ?? ""));
    const welcome = String(form.get("welcome_message") ?? "").trim();
    const found: FieldErrors = {};
    if (!botToken) found.token = { message: t("errors.tokenRequired"), detail: null };
    if (chatId === undefined) found.chatId = { message: t("errors.chatIdInvalid"), detail: null };
    setErrors(found);
    if (found.token) return document.getElementById("bot_token")?.focus();
    if (found.chatId) return document.getElementById("owner_chat_id")?.focus();
    create.mutate(
      { bot_token: botToken, owner_chat_id: chatId ?? undefined, welcome_message: welcome || undefined },
      {
        onSuccess: () => focusLater(PAGE_TITLE_ID),
        onError: (error) => {
          const field = fieldOf(error);
          setErrors({ [field]: describe(error) });
          document
            .getElementById(field === "token" ? "bot_token" : field === "chatId" ? "owner_chat_id" : "welcome_message")
            ?.focus();
        },
      },
    );
  }

  return (
    <section aria-labelledby={SETUP_TITLE_ID} className={`${ui.card} ${ui.block} space-y-4`}>
      <h2 id={SETUP_TITLE_ID} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
        {t("setup.title")}
      </h2>
      <p className={ui.muted}>{t("setup.lead")}</p>
      <BotFatherSteps />
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField
          id="bot_token"
          name="bot_token"
          label={t("setup.tokenLabel")}
          hint={t("setup.tokenHint")}
          placeholder="123456789:ABC-DEF..."
          autoComplete="off"
          spellCheck={false}
          required
          error={errors.token ? <ErrorAlert error={errors.token} /> : undefined}
        />
        <TextField
          id="owner_chat_id"
          name="owner_chat_id"
          type="number"
          step={1}
          inputMode="numeric"
          label={t("setup.chatIdLabel")}
          hint={t("setup.chatIdHint")}
          placeholder="123456789"
          error={errors.chatId ? <ErrorAlert error={errors.chatId} /> : undefined}
        />
        <TextAreaField
          id="welcome_message"
          name="welcome_message"
          rows={3}
          maxLength={4000}
          label={t("setup.welcomeLabel")}
          hint={t("setup.welcomeHint")}
          error={errors.welcome ? <ErrorAlert error={errors.welcome} /> : undefined}
        />
        <button type="submit" disabled={create.isPending} className={`${ui.primaryButton} w-full sm:w-auto`}>
          {create.isPending ? t("setup.submitting") : t("setup.submit")}
        </button>
      </form>
    </section>
  );
}
