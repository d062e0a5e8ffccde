/**
 * `value` as an absolute http(s) URL, or null. Anything a visitor may be sent to or shown
 * as a link passes here first: `javascript:`, `data:` and protocol-relative `//host`
 * values are not URLs a form or a Referer may point a visitor at.
 */
export function httpUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}
