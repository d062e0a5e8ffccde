import type { IncomingMessage, ServerResponse } from "node:http";

export type Readiness = {
  readonly phase: "starting" | "ready" | "draining";
  readonly startRequestHeaders: Record<string, string>;
  ready(): void;
  drain(): void;
  answeredHealthCheck(req: IncomingMessage, res: ServerResponse): boolean;
};

export function createReadiness(): Readiness;
