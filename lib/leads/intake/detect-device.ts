import Bowser from "bowser";

/** desktop | mobile | tablet from a User-Agent, for leads whose form does not say. */
export function detectDevice(userAgent: string | null): "desktop" | "mobile" | "tablet" | null {
  if (!userAgent?.trim()) return null;
  const type = Bowser.parse(userAgent).platform.type;
  return type === "desktop" || type === "mobile" || type === "tablet" ? type : null;
}
