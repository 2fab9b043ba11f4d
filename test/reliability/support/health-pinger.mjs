// Pings <url>/health every <everyMs> for <seconds> from its own process (so that the load the test's
// clients put on their own event loop does not count as server latency) and prints the latencies
// in milliseconds as one JSON array.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fetch } from "undici";

const [url, token, seconds, everyMs] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;
const latencies = [];
while (Date.now() < deadline) {
  const started = performance.now();
  const response = await fetch(`${url}/health`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  latencies.push(performance.now() - started);
  await sleep(Number(everyMs));
}
process.stdout.write(JSON.stringify(latencies));
