export function leadingEnvironment(words: string[]): { env: Record<string, string>; rest: string[] };
export function packageScriptNodeArgs(name: string): string[];
export function packageScriptEnv(name: string): Record<string, string>;
export function serveNodeArgs(): string[];
export function workerNodeArgs(): string[];
export function workerEnv(): Record<string, string>;
