// The token endpoint on Deno.serve. Run:
//   deno run --allow-read=. --allow-net=127.0.0.1 --allow-env server.mjs
// Parses the key once (handler.mjs) and serves on HOST:PORT (127.0.0.1:8787). `jwt-signer`
// resolves from node_modules/ (npm install; package.json names it).
import * as jwt from 'jwt-signer';
import { createHandler, ENV_NAMES } from './handler.mjs';

// Only the variables the endpoint uses (so --allow-env can be narrowed to them).
const env = Object.fromEntries(ENV_NAMES.map((name) => [name, Deno.env.get(name)]));
let handle;
try {
  handle = await createHandler({ jwt, env });
} catch (error) {
  console.error(`token endpoint: ${error.message}`);
  Deno.exit(1);
}

const hostname = Deno.env.get('HOST') || '127.0.0.1';
const port = Number(Deno.env.get('PORT') || 8787);
Deno.serve({
  hostname,
  port,
  onListen: ({ hostname, port }) => console.log(`token endpoint: listening on http://${hostname}:${port}`),
}, handle);
