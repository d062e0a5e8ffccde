"use client";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { ui } from "./styles";

/** Copies `text` to the clipboard and says so in a live status next to the button. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations("ui");
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(text);
      setResult("copied");
    } catch {
      // No clipboard outside a secure context, or permission refused.
      setResult("failed");
    }
    timer.current = setTimeout(() => setResult(null), 4000);
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button type="button" className={ui.secondaryButton} aria-label={label} onClick={() => void copy()}>
        {t("copy")}
      </button>
      <span
        role="status"
        className={result === "failed" ? "text-sm text-red-700" : "text-sm font-medium text-green-700"}
      >
        {result === "copied" ? t("copied") : result === "failed" ? t("copyFailed") : ""}
      </span>
    </span>
  );
}
