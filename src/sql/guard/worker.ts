/**
 * A query process: one of an executor's pool, holding its own read-only connection to one
 * database. It runs one query at a time; the executor kills it at a deadline (a kill is the only
 * thing that stops SQLite inside a long step) and starts a fresh one.
 */
import { toAskDbError } from "../../errors/index.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import type { QueryRequest, QueryResponse, WorkerMessage } from "./protocol.js";
import { runGuardedQuery } from "./run.js";

const dbPath = process.argv[2];
let connection: UserDatabase | undefined;

function currentConnection(): UserDatabase {
  if (connection?.isStale()) {
    connection.close();
    connection = undefined;
  }
  connection ??= openUserDatabase(dbPath);
  return connection;
}

function answer(request: QueryRequest): QueryResponse {
  try {
    const result = runGuardedQuery(currentConnection().db, request.sql, request);
    return { id: request.id, ok: true, result };
  } catch (error) {
    const { code, message, hint, details } = toAskDbError(error);
    return { id: request.id, ok: false, error: { code, message, hint, details } };
  }
}

const send = (message: WorkerMessage) => process.send?.(message);
process.on("message", (request: QueryRequest) => send(answer(request)));
process.on("disconnect", () => process.exit(0));
send({ ready: true });
