"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { secondaryButton } from "./styles";

/** Loading and error states of one query; renders `children` with the data once it is there. */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const t = useTranslations("site");
  if (query.isPending) {
    return (
      <p role="status" className="text-sm text-slate-600">
        {t("loading")}
      </p>
    );
  }
  if (query.isError) {
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 px-3 py-2 text-sm text-red-800">
        <span>{t("loadError")}</span>
        <button type="button" className={secondaryButton} onClick={() => void query.refetch()}>
          {t("retry")}
        </button>
      </div>
    );
  }
  return children(query.data);
}
