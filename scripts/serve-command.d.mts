export function packageScriptNodeArgs(name: string): string[];
export function serveNodeArgs(): string[];
export function workerNodeArgs(): string[];
