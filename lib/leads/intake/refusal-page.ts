import "server-only";
import { httpUrl } from "@/lib/http/http-url";
import type { ValidationIssue } from "@/lib/schemas/errors";
import { localeFromAcceptLanguage } from "@/lib/i18n/accept-language";
import { visitorTranslator } from "@/lib/i18n/visitor-translator";

type Translate = ReturnType<typeof visitorTranslator>;

const FIELD_LABELS = ["name", "email", "phone", "company", "message"] as const;
const isLabelled = (field: string): field is (typeof FIELD_LABELS)[number] =>
  (FIELD_LABELS as readonly string[]).includes(field);

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

/** What the visitor should fix, one line per issue of a 422 (lib/leads/intake: normalise-lead, read-submission). */
function issueText(t: Translate, issue: ValidationIssue): string {
  const field = issue.loc.length > 1 ? String(issue.loc.at(-1)) : null;
  const label = field === null ? "" : isLabelled(field) ? t(`refused.fields.${field}`) : field;
  if (issue.type === "value_error") return field === null ? t("refused.noContact") : t("refused.invalidEmail");
  if (issue.type === "string_too_long") return t("refused.fieldTooLong", { field: label });
  if (issue.type === "too_many_fields") return t("refused.tooManyFields");
  return field === null ? t("refused.formInvalid") : t("refused.fieldInvalid", { field: label });
}

function explanation(t: Translate, status: number, headers: Headers): string {
  if (status === 404) return t("refused.unknownSite");
  if (status === 403) return t("refused.originRefused");
  if (status === 413) return t("refused.tooLarge");
  if (status === 415) return t("refused.unsupported");
  if (status === 429) return t("refused.throttled", { seconds: Number(headers.get("retry-after")) || 60 });
  if (status === 422) return t("refused.invalid");
  if (status < 500) return t("refused.badRequest");
  return t("refused.failed");
}

/**
 * The refusal `answer` (the JSON a script would get) as a small page for a visitor whose
 * plain HTML form was refused: same status and headers, what went wrong in plain words,
 * and a way back. Every value from the request is escaped, and the page needs no script
 * or inline style (a strict Content-Security-Policy allows it as it is).
 */
export function refusalPage(req: Request, answer: Response, issues: ValidationIssue[]): Response {
  const locale = localeFromAcceptLanguage(req.headers.get("accept-language"));
  const t = visitorTranslator(locale);
  const lines = answer.status === 422 ? [...new Set(issues.map((issue) => issueText(t, issue)))] : [];
  const back = httpUrl(req.headers.get("referer"));
  const html = [
    "<!doctype html>",
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(t("refused.title"))}</title><link rel="stylesheet" href="/visitor.css"></head>`,
    "<body><main>",
    `<h1>${escapeHtml(t("refused.title"))}</h1>`,
    `<p>${escapeHtml(explanation(t, answer.status, answer.headers))}</p>`,
    lines.length > 0 ? `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>` : "",
    back
      ? `<p><a href="${escapeHtml(back.toString())}">${escapeHtml(t("refused.back"))}</a></p>`
      : `<p>${escapeHtml(t("refused.backHint"))}</p>`,
    "</main></body></html>",
  ].join("\n");
  const headers = new Headers(answer.headers);
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(html, { status: answer.status, headers });
}
