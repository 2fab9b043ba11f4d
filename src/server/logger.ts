import pino from "pino";

export type Logger = pino.Logger;

/** Server logs go to stderr so that stdout stays free for the banner and the sidecar's JSON line. */
export function createLogger(level = process.env.ASKDB_LOG ?? "info"): Logger {
  return pino({ name: "askdb", level }, pino.destination({ fd: 2, sync: false }));
}
