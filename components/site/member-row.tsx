"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useChangeMemberRole, useRemoveMember, type MemberListItem } from "@/hooks/use-site-settings";
import type { Role } from "@/lib/schemas/auth";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";
import { useFormatDate } from "@/components/ui/dates";
import { telegramAccountLabel } from "./telegram-account";

type Props = {
  member: MemberListItem;
  callerRole: Role;
  isYou: boolean;
  isLastOwner: boolean;
  onRemoved: (email: string) => void;
};

/**
 * One member: email, role and since when; for a caller allowed to (a site owner, or an
 * admin for admins and members) a role select and removal after an inline confirmation.
 * The last owner's controls stay disabled with the reason, as the server would refuse.
 */
export function MemberRow({ member, callerRole, isYou, isLastOwner, onRemoved }: Props) {
  const t = useTranslations("site");
  const formatDate = useFormatDate();
  const changeRole = useChangeMemberRole();
  const remove = useRemoveMember();
  const router = useRouter();
  // The select shows the saved role until the user picks another one.
  const [draft, setDraft] = useState<Role | null>(null);
  const role = draft ?? member.role;
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ShownError | string | null>(null);
  const describe = useDescribeError();
  const [saved, setSaved] = useState<Role | null>(null);

  const mayChange = callerRole === "site_owner" || (callerRole === "admin" && member.role !== "site_owner");
  const roles: Role[] = callerRole === "site_owner" ? ["member", "admin", "site_owner"] : ["member", "admin"];
  const id = `member-${member.user_id}`;
  const hintId = `${id}-hint`;
  const hint = isLastOwner ? t("team.lastOwnerHint") : mayChange ? null : t("team.ownerOnlyChangeHint");
  const errorText = (caught: unknown) =>
    describe(caught, {
      last_owner: t("team.lastOwner"),
      forbidden: t("team.ownerOnlyChange"),
      not_found: t("team.gone"),
    });

  async function saveRole() {
    setError(null);
    setSaved(null);
    try {
      const updated = await changeRole.mutateAsync({ userId: member.user_id, role });
      setDraft(null);
      setSaved(updated.role);
      // The caller's own rights changed: the server re-renders the page for the new role.
      if (isYou) router.refresh();
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  async function confirmRemove() {
    setError(null);
    try {
      await remove.mutateAsync(member.user_id);
      // Having left the site, the caller is sent to sign in by the server.
      if (isYou) return router.refresh();
      onRemoved(member.email);
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  return (
    <li data-testid="member" className="space-y-2 px-3 py-3">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <span className="min-w-0 break-all font-medium">
          {member.email}
          {isYou ? <span className="ml-1 font-normal text-slate-600">({t("team.you")})</span> : null}
          <span className="block text-sm font-normal text-slate-600">
            {t("team.joined", { date: formatDate(member.created_at, "day") })}
          </span>
          {member.telegram ? (
            <span className="block text-sm font-normal text-slate-600" data-testid="member-telegram">
              {t("team.telegram", { account: telegramAccountLabel(member.telegram) })}
            </span>
          ) : null}
        </span>
        {mayChange ? (
          <span className="flex flex-wrap items-center gap-2">
            <label htmlFor={`${id}-role`} className="sr-only">
              {t("team.roleOf", { email: member.email })}
            </label>
            <select
              id={`${id}-role`}
              value={role}
              disabled={isLastOwner || changeRole.isPending}
              aria-describedby={hint ? hintId : undefined}
              onChange={(event) => setDraft(event.target.value as Role)}
              className={`${ui.input} w-auto py-1.5 text-sm`}
            >
              {roles.map((option) => (
                <option key={option} value={option}>
                  {t(`roles.${option}`)}
                </option>
              ))}
            </select>
            {role !== member.role ? (
              <button
                type="button"
                className={ui.secondaryButton}
                disabled={changeRole.isPending}
                onClick={() => void saveRole()}
              >
                {changeRole.isPending ? t("team.savingRole") : t("team.saveRole")}
              </button>
            ) : null}
            {!confirming ? (
              <button
                type="button"
                className={ui.dangerButton}
                disabled={isLastOwner}
                aria-describedby={hint ? hintId : undefined}
                aria-label={t("team.removeLabel", { email: member.email })}
                onClick={() => setConfirming(true)}
              >
                {t("team.remove")}
              </button>
            ) : null}
          </span>
        ) : (
          <span className="rounded bg-slate-100 px-2 py-0.5 text-sm font-medium text-slate-800">
            {t(`roles.${member.role}`)}
          </span>
        )}
      </div>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {confirming ? (
        <ConfirmPanel
          id={id}
          question={isYou ? t("team.confirmLeave") : t("team.confirmRemove", { email: member.email })}
          confirmLabel={t("team.confirmRemoveButton")}
          pendingLabel={t("team.removing")}
          cancelLabel={t("tokens.cancel")}
          pending={remove.isPending}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <ErrorAlert error={error} />
      <StatusLine message={saved ? t("team.roleSaved", { email: member.email, role: t(`roles.${saved}`) }) : null} />
    </li>
  );
}
