/** Button and field looks shared by the site settings sections. */
const focus = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600";

export const primaryButton = `inline-flex items-center justify-center rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60 ${focus}`;
export const secondaryButton = `inline-flex items-center justify-center rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 ${focus}`;
export const dangerButton = `inline-flex items-center justify-center rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 ${focus}`;
export const dangerSolidButton = `inline-flex items-center justify-center rounded bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60 ${focus}`;
export const fieldControl =
  "block w-full rounded border border-slate-300 bg-white px-3 py-2 focus:border-blue-600 focus:outline-2 focus:outline-blue-600 aria-[invalid=true]:border-red-600";
export const statusText = "rounded bg-green-50 px-3 py-2 text-sm text-green-800";
export const alertText = "rounded bg-red-50 px-3 py-2 text-sm text-red-800";
