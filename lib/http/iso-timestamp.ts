/** The contract's timestamp form: ISO 8601 UTC to the second, `2026-01-15T10:00:00Z`. */
export function isoTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
