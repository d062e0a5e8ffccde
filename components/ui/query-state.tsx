"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ui } from "./styles";

/** Said while something loads; `label` names what, when the page has more than one thing loading. */
export function Loading({ label }: { label?: string }) {
  const t = useTranslations("ui");
  return (
    <p role="status" className={ui.muted}>
      {label ?? t("loading")}
    </p>
  );
}

/** A load that failed: what could not be loaded, and a way to ask again. */
export function QueryError({
  message,
  onRetry,
  retrying = false,
}: {
  message?: string;
  onRetry: () => void;
  retrying?: boolean;
}) {
  const t = useTranslations("ui");
  return (
    <div role="alert" className={`${ui.error} flex flex-wrap items-center justify-between gap-2`}>
      <p>{message ?? t("loadError")}</p>
      <button type="button" onClick={onRetry} disabled={retrying} className={ui.secondaryButton}>
        {retrying ? t("loading") : t("retry")}
      </button>
    </div>
  );
}

/** Loading and error states of one query; renders `children` with the data once it is there. */
export function QueryState<T>({
  query,
  loadingLabel,
  errorMessage,
  children,
}: {
  query: UseQueryResult<T>;
  loadingLabel?: string;
  errorMessage?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError) {
    return <QueryError message={errorMessage} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  return children(query.data);
}
