"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import { replaceTokenFormSchema, type IntegrationDto } from "@/lib/schemas/telegram";
import { useDescribeError } from "@/components/ui/describe-error";
import { fieldErrorText, setServerError, useZodForm } from "@/components/ui/use-zod-form";
import { StatusLine } from "@/components/ui/status-line";
import { TextField } from "@/components/ui/text-field";
import { ui } from "@/components/ui/styles";

/** The masked token, the connected bot, and an inline field to paste a new token (PATCH bot_token). */
export function BotTokenSection({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const update = useUpdateTelegramIntegration();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useZodForm(replaceTokenFormSchema, { defaultValues: { bot_token: "" } });
  const changeRef = useRef<HTMLButtonElement>(null);
  const { setFocus } = form;

  useEffect(() => {
    if (editing) setFocus("bot_token");
  }, [editing, setFocus]);

  function close() {
    setEditing(false);
    form.reset();
    changeRef.current?.focus();
  }

  // Built per submit: its success closes the editor through a ref, which render may not touch.
  const onSubmit = (event: FormEvent<HTMLFormElement>) =>
    form.handleSubmit(({ bot_token }) =>
      update.mutate(
        { bot_token },
        {
          onSuccess: () => {
            setSaved(true);
            close();
          },
          onError: (caught) => setServerError(form, "bot_token", describe(caught)),
        },
      ),
    )(event);

  return (
    <div className={ui.block}>
      <h2 id="telegram-token-title" className={ui.blockTitle}>
        {t("token.label")}
      </h2>
      <div className="flex flex-wrap items-center gap-2">
        <code
          aria-labelledby="telegram-token-title"
          className="min-w-0 flex-1 break-all rounded border border-slate-300 bg-slate-50 px-3 py-2 text-xs sm:text-sm"
        >
          {integration.bot_token_masked ?? "••••••••"}
        </code>
        <button
          ref={changeRef}
          type="button"
          aria-expanded={editing}
          aria-controls="telegram-token-edit"
          onClick={() => {
            if (editing) return close();
            setEditing(true);
            setSaved(false);
          }}
          className={ui.secondaryButton}
        >
          {t("token.change")}
        </button>
      </div>
      <p className="text-sm font-medium text-green-800">
        {integration.bot_username
          ? t("token.botConnected", { username: integration.bot_username })
          : t("token.noUsername")}
      </p>
      <StatusLine message={saved ? t("token.saved") : null} />
      {editing ? (
        <form
          id="telegram-token-edit"
          onSubmit={(event) => {
            setSaved(false);
            void onSubmit(event);
          }}
          noValidate
          className="space-y-3 rounded border border-slate-200 p-3"
        >
          <TextField
            id="new_bot_token"
            label={t("token.newLabel")}
            hint={t("token.newHint")}
            placeholder="123456789:ABC-DEF..."
            autoComplete="off"
            spellCheck={false}
            required
            error={fieldErrorText(form.formState.errors.bot_token, { default: t("errors.tokenRequired") })}
            {...form.register("bot_token")}
          />
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={update.isPending} className={ui.primaryButton}>
              {update.isPending ? t("saving") : t("save")}
            </button>
            <button type="button" onClick={close} className={ui.secondaryButton}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
