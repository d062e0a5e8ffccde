"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { useDescribeError, type ShownError } from "./describe-error";
import { ErrorAlert } from "./error-alert";
import { TextField } from "./text-field";
import { ui } from "./ui";

/** The masked token, the connected bot, and an inline field to paste a new token (PATCH bot_token). */
export function BotTokenSection({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const update = useUpdateTelegramIntegration();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [saved, setSaved] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (editing) inputRef.current?.focus();
  }, [editing]);

  function close() {
    setEditing(false);
    setError(null);
    changeRef.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get("new_bot_token") ?? "").trim();
    setSaved(false);
    if (!token) {
      setError({ message: t("errors.tokenRequired"), detail: null });
      inputRef.current?.focus();
      return;
    }
    update.mutate(
      { bot_token: token },
      {
        onSuccess: () => {
          setSaved(true);
          close();
        },
        onError: (caught) => {
          setError(describe(caught));
          inputRef.current?.focus();
        },
      },
    );
  }

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
      <div role="status">{saved ? <p className={ui.success}>{t("token.saved")}</p> : null}</div>
      {editing ? (
        <form
          id="telegram-token-edit"
          onSubmit={onSubmit}
          noValidate
          className="space-y-3 rounded border border-slate-200 p-3"
        >
          <TextField
            inputRef={inputRef}
            id="new_bot_token"
            name="new_bot_token"
            label={t("token.newLabel")}
            hint={t("token.newHint")}
            placeholder="123456789:ABC-DEF..."
            autoComplete="off"
            spellCheck={false}
            required
            error={error ? <ErrorAlert error={error} /> : undefined}
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
