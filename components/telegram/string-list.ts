/** A message that is a list of strings (read with t.raw), e.g. numbered steps. */
export function stringList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((item): item is string => typeof item === "string") : [];
}
