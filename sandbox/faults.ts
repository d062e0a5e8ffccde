import { z } from "zod";

/**
 * Failures of the Telegram side that an app must survive, injected for the next N Bot API
 * calls: a 500 envelope, nginx's 502 page, a 429, a reset connection, or a hang.
 */
export const faultSpecSchema = z.object({
  kind: z.enum(["internal_error", "bad_gateway", "too_many_requests", "connection_reset", "hang"]),
  /** How many matching calls the fault applies to. */
  times: z.number().int().min(1).default(1),
  /** Only calls of this method (case-insensitive), e.g. "sendMessage". */
  method: z.string().min(1).optional(),
  /** Only calls made with this bot's token. */
  bot_id: z.number().int().optional(),
  /** For too_many_requests: the retry_after to announce. */
  retry_after: z.number().int().min(1).default(5),
  /** For hang: how long to stall; omitted = until the client gives up or the sandbox closes. */
  ms: z.number().min(0).optional(),
  /** For hang with ms: afterwards the call is processed ("process", like a slow Telegram that
   * still sends the message) or the connection is reset ("reset"). */
  then: z.enum(["process", "reset"]).default("process"),
});
export type FaultSpecInput = z.input<typeof faultSpecSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultQueue {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: this.nextId++, remaining: spec.times };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one use of the oldest fault matching this call. */
  take(method: string, botId: number | undefined): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.method === undefined || f.method.toLowerCase() === method.toLowerCase()) &&
        (f.bot_id === undefined || f.bot_id === botId),
    );
    if (fault === undefined) {
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.faults = this.faults.filter((f) => f !== fault);
    }
    return { ...fault };
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

/** The page nginx in front of api.telegram.org serves when the backend is down. */
export const NGINX_BAD_GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
