import Bowser from "bowser";
import { DEVICE_KINDS, type DeviceKind } from "@/lib/schemas/leads";

const isDeviceKind = (type: string | undefined): type is DeviceKind =>
  (DEVICE_KINDS as readonly (string | undefined)[]).includes(type);

/** desktop | mobile | tablet from a User-Agent, for leads whose form does not say. */
export function detectDevice(userAgent: string | null): DeviceKind | null {
  if (!userAgent?.trim()) return null;
  const type = Bowser.parse(userAgent).platform.type;
  return isDeviceKind(type) ? type : null;
}
