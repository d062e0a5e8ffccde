"use client";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { DEVICE_KINDS, type KnownLeadField, type LeadDetail } from "@/lib/schemas/leads";

const CONTACT_FIELDS = ["name", "email", "phone", "company", "message"] as const satisfies readonly KnownLeadField[];
const SOURCE_FIELDS = [
  "page",
  "referrer",
  "device",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
] as const satisfies readonly KnownLeadField[];

const linkClass =
  "text-blue-800 underline underline-offset-2 break-all focus-visible:outline-2 focus-visible:outline-blue-600";

/** Links only for addresses a browser can open safely (never javascript: and the like). */
function httpUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

const knownDevice = (value: string) => DEVICE_KINDS.find((kind) => kind === value);

function FieldValue({ field, value }: { field: KnownLeadField; value: string }) {
  const t = useTranslations("leads.detail.devices");
  const device = field === "device" ? knownDevice(value) : undefined;
  if (device) return <span>{t(device)}</span>;
  if (field === "email")
    return (
      <a href={`mailto:${value}`} className={linkClass}>
        {value}
      </a>
    );
  if (field === "phone")
    return (
      <a href={`tel:${value.replace(/[^\d+]/g, "")}`} className={linkClass}>
        {value}
      </a>
    );
  if (field === "page" || field === "referrer") {
    const href = httpUrl(value);
    if (href)
      return (
        <a href={href} rel="noopener noreferrer nofollow" target="_blank" className={linkClass}>
          {value}
        </a>
      );
  }
  return <span className={field === "message" ? "whitespace-pre-wrap break-words" : "break-words"}>{value}</span>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <h2 className="mb-3 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Rows({ rows }: { rows: { key: string; label: string; value: ReactNode }[] }) {
  const t = useTranslations("leads.detail");
  if (rows.length === 0) return <p className="text-sm text-slate-600">{t("noData")}</p>;
  return (
    <dl className="grid gap-x-6 gap-y-1 sm:gap-y-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
      {rows.map((row) => (
        <div key={row.key} className="contents">
          <dt className="text-sm text-slate-600 max-sm:mt-2 sm:pt-0.5">{row.label}</dt>
          <dd className="min-w-0 text-slate-900">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What the visitor sent: contact fields, where they came from, and any extra form fields. */
export function LeadFields({ lead }: { lead: LeadDetail }) {
  const t = useTranslations("leads.detail");
  const known = (fields: readonly KnownLeadField[]) =>
    fields.flatMap((field) => {
      const value = lead[field];
      return value
        ? [{ key: field, label: t(`fields.${field}`), value: <FieldValue field={field} value={value} /> }]
        : [];
    });
  const extra = Object.entries(lead.extra).map(([name, value]) => ({
    key: `extra-${name}`,
    label: name,
    value: <span className="whitespace-pre-wrap break-words">{value}</span>,
  }));
  return (
    <>
      <Section title={t("contactSection")}>
        <Rows rows={known(CONTACT_FIELDS)} />
      </Section>
      <Section title={t("sourceSection")}>
        <Rows rows={known(SOURCE_FIELDS)} />
      </Section>
      {extra.length > 0 ? (
        <Section title={t("extraSection")}>
          <Rows rows={extra} />
        </Section>
      ) : null}
    </>
  );
}
