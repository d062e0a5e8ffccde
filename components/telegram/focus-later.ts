/** Moves focus to an element that the next render brings (e.g. after one view replaces another). */
export function focusLater(id: string): void {
  window.setTimeout(() => document.getElementById(id)?.focus(), 50);
}

export const PAGE_TITLE_ID = "telegram-title";
export const SETUP_TITLE_ID = "telegram-setup-title";
