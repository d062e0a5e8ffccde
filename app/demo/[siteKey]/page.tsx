import { getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ui } from "@/components/ui/styles";
import { TextAreaField, TextField } from "@/components/ui/text-field";
import { db } from "@/lib/db/client";

const FIELDS = [
  { name: "name", type: "text", autoComplete: "name", required: true },
  { name: "email", type: "email", autoComplete: "email", required: false },
  { name: "phone", type: "tel", autoComplete: "tel", required: false },
  { name: "company", type: "text", autoComplete: "organization", required: false },
] as const;

/**
 * A lead form as a site owner would embed it: a plain HTML form (works with JavaScript
 * off) posting to the site's public endpoint and coming back here with ?sent=1.
 */
export default async function DemoFormPage({
  params,
  searchParams,
}: {
  params: Promise<{ siteKey: string }>;
  searchParams: Promise<{ sent?: string }>;
}) {
  const [{ siteKey }, { sent }, t] = await Promise.all([params, searchParams, getTranslations("demo")]);
  const tenant = await db().tenant.findUnique({ where: { siteKey }, select: { name: true } });
  if (!tenant) notFound();
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host")}`;

  return (
    <section className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">{t("title", { site: tenant.name })}</h1>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      {sent ? (
        <p role="status" className={ui.success}>
          {t("sent")}
        </p>
      ) : null}
      <form action={`/api/v1/public/leads/${siteKey}`} method="POST" className={`${ui.card} space-y-3 p-6`}>
        {FIELDS.map(({ name, type, autoComplete, required }) => (
          <TextField
            key={name}
            id={name}
            name={name}
            label={t(name)}
            type={type}
            autoComplete={autoComplete}
            required={required}
          />
        ))}
        <TextAreaField id="message" name="message" label={t("message")} rows={4} />
        <input type="hidden" name="_redirect" value={`${origin}/demo/${siteKey}?sent=1`} />
        <input type="hidden" name="page" value={`/demo/${siteKey}`} />
        <input type="hidden" name="utm_source" value="leadgram-demo" />
        <input name="_gotcha" tabIndex={-1} autoComplete="off" aria-hidden="true" className="absolute -left-[9999px]" />
        <button type="submit" className={`${ui.primaryButton} w-full`}>
          {t("submit")}
        </button>
      </form>
    </section>
  );
}
