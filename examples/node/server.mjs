// The token endpoint on node:http (Node >= 20; Bun runs this file unchanged).
// Parses the key once (handler.mjs) and serves on HOST:PORT (127.0.0.1:8787).
import { createServer } from 'node:http';
import { Signer } from 'jwt-signer';
import { createHandler } from './handler.mjs';

let handle;
try {
  handle = await createHandler({ Signer, env: process.env });
} catch (error) {
  console.error(`token endpoint: ${error.message}`);
  process.exit(1);
}

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 8787);

const server = createServer(async (req, res) => {
  let response;
  try {
    // node:http -> the web's Request; no body is read (the endpoint only answers GET).
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':')) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const request = new Request(new URL(req.url, 'http://localhost'), {
      method: req.method,
      headers,
    });
    response = await handle(request);
  } catch {
    // Methods the Request constructor refuses (CONNECT, TRACE), unparsable URLs or headers.
    response = new Response('{"error":{"code":"bad_request","message":"malformed request"}}', {
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const body = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(response.headers);
  if (response.status !== 204) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body.length ? body : undefined);
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
server.listen(port, host, () => {
  console.log(`token endpoint: listening on http://${host}:${server.address().port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
