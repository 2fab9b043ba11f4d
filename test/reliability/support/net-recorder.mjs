// Preloaded (node --import) into an askdb process and everything it starts (through NODE_OPTIONS):
// records every outgoing connection, DNS lookup and UDP send as a JSON line in $ASKDB_NET_LOG.
// The network-silence test then asserts that each destination is loopback.
import { appendFileSync } from "node:fs";
import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";
import tls from "node:tls";

const log = process.env.ASKDB_NET_LOG;

function record(kind, host, port) {
  if (log)
    appendFileSync(
      log,
      `${JSON.stringify({ kind, host: host === undefined ? undefined : String(host), port, pid: process.pid })}\n`,
    );
}

/** The destination of net.Socket#connect(...) in any of its call shapes (Node passes [options, cb] internally). */
function destination(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object")
    return first.path !== undefined
      ? { path: first.path }
      : { host: first.host ?? "localhost", port: first.port };
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === "string" ? args[1] : "localhost", port: first };
}

// One line per process, so the test can tell the recorder was active even in a silent process.
record("loaded", undefined, undefined);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = destination(args);
  if (target.path !== undefined) record("ipc", target.path);
  else record("tcp", target.host, target.port);
  return connect.apply(this, args);
};

const tlsConnect = tls.connect;
tls.connect = function (...args) {
  const options =
    typeof args[0] === "object"
      ? args[0]
      : { port: args[0], host: typeof args[1] === "string" ? args[1] : undefined };
  record("tls", options.host ?? options.servername ?? "localhost", options.port);
  return tlsConnect.apply(this, args);
};

for (const target of [dns, dns.promises]) {
  const lookup = target.lookup;
  target.lookup = function (hostname, ...rest) {
    record("dns", hostname);
    return lookup.call(this, hostname, ...rest);
  };
  for (const name of ["resolve", "resolve4", "resolve6", "resolveAny"]) {
    const resolve = target[name];
    target[name] = function (hostname, ...rest) {
      record("dns", hostname);
      return resolve.call(this, hostname, ...rest);
    };
  }
}

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const address = args.find((arg, i) => i > 0 && typeof arg === "string");
  record("udp", address ?? "(connected)");
  return send.apply(this, args);
};
