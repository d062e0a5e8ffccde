"use client";
import { useTranslations } from "next-intl";
import { LocalTime } from "@/components/ui/dates";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";
import { useChangeLeadState } from "@/hooks/use-leads";
import { LEAD_STATES, type LeadActor, type LeadDetail } from "@/lib/schemas/leads";
import { StateBadge } from "./state-badge";

function actorName(actor: LeadActor): string {
  return actor.telegram_username ? `${actor.name} (@${actor.telegram_username})` : actor.name;
}

/**
 * Where the team is with the lead: its state, who took it, a way to move it (the Telegram
 * message is edited to match), and every change so far.
 */
export function LeadWork({ lead }: { lead: LeadDetail }) {
  const t = useTranslations("leads");
  const describe = useDescribeError();
  const change = useChangeLeadState(lead.id);
  return (
    <section aria-labelledby="lead-work-title" className={`${ui.card} ${ui.block}`}>
      <h2 id="lead-work-title" className="text-lg font-semibold">
        {t("work.heading")}
      </h2>
      <div className="flex flex-wrap items-center gap-3">
        <span data-testid="lead-state">
          <StateBadge state={lead.state} />
        </span>
        <span className={ui.muted}>
          {lead.taken_by ? t("work.takenBy", { name: actorName(lead.taken_by) }) : t("work.notTaken")}
        </span>
      </div>
      <div role="group" aria-label={t("work.change")} className="flex flex-wrap gap-2">
        {LEAD_STATES.filter((state) => state !== lead.state).map((state) => (
          <button
            key={state}
            type="button"
            disabled={change.isPending}
            onClick={() => change.mutate(state)}
            className={ui.secondaryButton}
          >
            {t(`state.${state}`)}
          </button>
        ))}
      </div>
      <StatusLine message={change.isSuccess ? t("work.changed", { state: t(`state.${lead.state}`) }) : null} />
      <ErrorAlert error={change.isError ? describe(change.error) : null} />
      <h3 className="font-semibold">{t("work.historyHeading")}</h3>
      {lead.state_history.length === 0 ? (
        <p className={ui.muted}>{t("work.historyEmpty")}</p>
      ) : (
        <ol className="space-y-1 text-sm" data-testid="state-history">
          {lead.state_history.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <LocalTime iso={entry.at} style="precise" /> ·{" "}
              {t("work.historyLine", { state: t(`state.${entry.state}`), name: actorName(entry.by) })}{" "}
              <span className={ui.muted}>{entry.source === "telegram" ? t("work.viaTelegram") : t("work.viaWeb")}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
