import { z } from "zod";

/** Messages between the server's main thread and the delivery thread. */
export const toDeliveryThread = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), releaseAllLeases: z.boolean() }),
  z.object({ type: z.literal("wake"), tenantIds: z.array(z.string()) }),
  z.object({ type: z.literal("polling-changed"), integrationIds: z.array(z.string()) }),
  z.object({ type: z.literal("drain") }),
]);
export type ToDeliveryThread = z.infer<typeof toDeliveryThread>;

export const fromDeliveryThread = z.discriminatedUnion("type", [
  z.object({ type: z.literal("started") }),
  z.object({ type: z.literal("start-failed"), message: z.string() }),
]);
export type FromDeliveryThread = z.infer<typeof fromDeliveryThread>;
