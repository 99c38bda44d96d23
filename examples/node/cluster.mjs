// The token endpoint on every core: node:cluster starts one server.mjs per CPU (or WORKERS),
// all on the same HOST:PORT; the primary accepts the connections and hands them out in turn.
// Each worker parses the key and keeps its own token cache (handler.mjs): nothing is shared,
// so a playback ID is signed at most once per worker per refresh.
//
//   node cluster.mjs                  (WORKERS=4 node cluster.mjs to choose the count)
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const count = process.env.WORKERS ? Number(process.env.WORKERS) : availableParallelism();
if (!Number.isInteger(count) || count < 1 || count > 256) {
  console.error('token endpoint: WORKERS must be a whole number from 1 to 256');
  process.exit(1);
}

cluster.setupPrimary({ exec: fileURLToPath(new URL('./server.mjs', import.meta.url)) });
const listening = new Set();
let stopping = false;

function stop(code) {
  stopping = true;
  process.exitCode = code;
  for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
}

cluster.on('listening', (worker) => {
  listening.add(worker.id);
  if (listening.size === count) console.log(`token endpoint: ${count} workers (node:cluster) listening`);
});
cluster.on('exit', (worker, code, signal) => {
  const wasListening = listening.delete(worker.id);
  if (stopping) return; // the primary exits when its last worker has
  if (!wasListening) {
    // Died before it listened (a key that cannot be used, a port taken): it would again, so stop.
    console.error(`token endpoint: a worker stopped at start-up (${signal ?? `exit ${code}`}); stopping`);
    stop(1);
    return;
  }
  console.error(`token endpoint: worker ${worker.process.pid} ended (${signal ?? `exit ${code}`}); starting another`);
  cluster.fork();
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
for (let i = 0; i < count; i++) cluster.fork();
