/**
 * The one table of looks: every page's buttons, fields and notices take their classes from
 * here, so a control looks, focuses and disables alike wherever it appears.
 */
const focus = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600";
const button = `inline-flex items-center justify-center rounded px-3 py-2 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:opacity-60 ${focus}`;

export const ui = {
  focus,
  primaryButton: `${button} bg-blue-700 text-white hover:bg-blue-800`,
  secondaryButton: `${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-100`,
  dangerButton: `${button} border border-red-300 bg-white text-red-800 hover:bg-red-50`,
  dangerSolidButton: `${button} bg-red-700 text-white hover:bg-red-800`,
  link: `font-medium text-blue-700 underline hover:text-blue-900 ${focus}`,
  input:
    "block w-full rounded border border-slate-300 bg-white px-3 py-2 focus:border-blue-600 focus:outline-2 focus:outline-blue-600 aria-[invalid=true]:border-red-600",
  select: `rounded border border-slate-300 bg-white px-2 py-1.5 text-sm ${focus}`,
  label: "block text-sm font-medium text-slate-800",
  hint: "text-xs text-slate-600",
  tableHeader: "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase",
  card: "rounded-lg border border-slate-200 bg-white shadow-sm",
  block: "space-y-3 p-4 sm:p-6",
  blockTitle: "text-base font-semibold text-slate-900",
  muted: "text-sm text-slate-600",
  empty: "rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center",
  success: "rounded bg-green-50 px-3 py-2 text-sm text-green-900",
  error: "rounded bg-red-50 px-3 py-2 text-sm text-red-900",
  warning: "rounded border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950",
  code: "break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm",
} as const;
