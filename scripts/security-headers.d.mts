export function securityHeaders(publicApiUrl: string | undefined): Record<string, string>;
