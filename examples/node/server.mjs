// The token endpoint on node:http (Node >= 20; Bun runs this file unchanged).
// Parses the key once (handler.mjs) and serves on HOST:PORT (127.0.0.1:8787).
import { createServer } from 'node:http';
import * as jwt from 'jwt-signer';
import { createHandler } from './handler.mjs';

let handle;
try {
  handle = await createHandler({ jwt, env: process.env });
} catch (error) {
  console.error(`token endpoint: ${error.message}`);
  process.exit(1);
}

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 8787);

// Timeouts are checked every second (Node's default is every 30 s), so they hold as set below.
const server = createServer({ connectionsCheckingInterval: 1_000 }, async (req, res) => {
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
// Limits set on purpose (tests/endpoints/hostile.test.mjs tries each): a client has 10 s to send
// its headers and 15 s for the whole request (slow clients are cut off, not waited for), at most
// 16 KB of headers (Node's default: a 1 MB Authorization is refused with 431) and 200 of them;
// bodies are never read (the endpoint answers GET only).
server.headersTimeout = 10_000;
server.requestTimeout = 15_000;
server.maxHeadersCount = 200;
// What Node's parser refuses (malformed, too large, too slow) is answered as coded JSON too.
server.on('clientError', (error, socket) => {
  if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
  const [status, code] = {
    HPE_HEADER_OVERFLOW: [431, 'headers_too_large'],
    ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout'],
  }[error.code] ?? [400, 'bad_request'];
  const body = JSON.stringify({ error: { code, message: 'malformed request' } });
  socket.end(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\n`
    + 'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n'
    + `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
});
server.listen(port, host, () => {
  console.log(`token endpoint: listening on http://${host}:${server.address().port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
