import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { log } from "@/lib/log";
import { Gate } from "./gate";

type Connection = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Connection["startTransaction"]>>;
type SqlQuery = Parameters<Connection["executeRaw"]>[0];

const ROLLBACK: SqlQuery = { sql: "ROLLBACK", args: [], argTypes: [] };
const BEGIN_IMMEDIATE: SqlQuery = { sql: "BEGIN IMMEDIATE", args: [], argTypes: [] };

/** What SQLite says to a ROLLBACK when it already ended the transaction itself (after some errors). */
const isNoTransactionActive = (error: unknown) =>
  error instanceof Error && /no transaction is active/i.test(error.message);

/**
 * A transaction that holds the connection's gate until it ends, and never ends with the
 * connection still inside it.
 *
 * Prisma's client sends COMMIT or ROLLBACK through executeRaw, then calls commit() or
 * rollback(), which in the better-sqlite3 adapter only release its lock. When COMMIT
 * fails (SQLITE_BUSY: another process holds a lock the commit needs) SQLite keeps the
 * transaction open, Prisma calls rollback(), and without the ROLLBACK below every later
 * query on the shared connection would run inside that dead transaction
 * (prisma/orm#29933): acknowledged, then lost with it.
 */
class GatedTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options: Transaction["options"];
  /** Until COMMIT or ROLLBACK succeeds the connection is inside the transaction. */
  #open = true;

  constructor(
    private readonly inner: Transaction,
    private readonly leave: () => void,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(query: SqlQuery) {
    return this.inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    const changes = await this.inner.executeRaw(query);
    if (query.sql === "COMMIT" || query.sql === "ROLLBACK") this.#open = false;
    return changes;
  }

  async commit(): Promise<void> {
    try {
      await this.inner.commit();
    } finally {
      this.leave();
    }
  }

  async rollback(): Promise<void> {
    try {
      if (this.#open) await this.inner.executeRaw(ROLLBACK).catch(tolerateEndedTransaction);
      this.#open = false;
      await this.inner.rollback();
    } finally {
      this.leave();
    }
  }

  createSavepoint(name: string) {
    return this.inner.createSavepoint!(name);
  }

  rollbackToSavepoint(name: string) {
    return this.inner.rollbackToSavepoint!(name);
  }

  releaseSavepoint(name: string) {
    return this.inner.releaseSavepoint!(name);
  }
}

function tolerateEndedTransaction(error: unknown): void {
  if (isNoTransactionActive(error)) return;
  log.error({ err: error }, "SQLite: ROLLBACK after a failed transaction failed");
  throw error;
}

/**
 * The connection with one gate in front of it. better-sqlite3 gives Prisma a single
 * connection for the whole client, and a transaction on it is the connection's state: a
 * query that ran while another request's transaction was open would commit or roll back
 * with that transaction, so an answered write could be undone by someone else's rollback.
 * Here a transaction holds the gate from BEGIN to its end, and every query outside it
 * waits its turn. Plain queries only pass through in order (better-sqlite3 runs each
 * synchronously), so nothing waits longer than the transaction in front of it. Inside an
 * interactive transaction, query through its `tx` only: a query on the client itself
 * waits for the transaction to end, and the transaction's timeout ends it with an error.
 */
function gateConnection(connection: Connection): Connection {
  const gate = new Gate();
  return {
    provider: connection.provider,
    adapterName: connection.adapterName,
    queryRaw: (query) => gate.pass(() => connection.queryRaw(query)),
    executeRaw: (query) => gate.pass(() => connection.executeRaw(query)),
    executeScript: (script) => gate.pass(() => connection.executeScript(script)),
    dispose: () => gate.pass(() => connection.dispose()),
    async startTransaction(isolationLevel) {
      const leave = await gate.enter();
      try {
        const transaction = await connection.startTransaction(isolationLevel);
        // The adapter's BEGIN is deferred: a transaction that reads first and writes later
        // fails with SQLITE_BUSY_SNAPSHOT when another connection (the delivery thread's)
        // commits in between, and busy_timeout cannot help. Begun IMMEDIATE it takes the
        // write lock up front, waiting out the other writer instead.
        try {
          await transaction.executeRaw(ROLLBACK);
          await transaction.executeRaw(BEGIN_IMMEDIATE);
        } catch (error) {
          // Not begun (the other writer held on past busy_timeout): only the adapter's lock to free.
          await transaction.rollback();
          throw error;
        }
        return new GatedTransaction(transaction, leave);
      } catch (error) {
        leave();
        throw error;
      }
    },
  };
}

/** The better-sqlite3 adapter whose connection lets one transaction at a time near it. */
export function gatedSqliteAdapter(adapter: PrismaBetterSqlite3) {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: async () => gateConnection(await adapter.connect()),
  } as const;
}
