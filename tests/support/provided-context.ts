declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the app server the suite runs against. */
    appUrl: string;
    /** The app server's process id, to read its memory use from /proc. */
    appPid: number;
    /** Base URL of the Telegram Bot API sandbox the app is pointed at. */
    sandboxUrl: string;
    database: "sqlite" | "postgresql";
    /** The database the server uses, for tests that inspect it directly. */
    databaseUrl: string;
    /** Everything the app server printed, appended as it runs. */
    appLogFile: string;
  }
}

export {};
