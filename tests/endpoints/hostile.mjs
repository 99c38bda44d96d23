// Hostile HTTP against a running endpoint, over raw sockets (fetch cannot send most of it):
// 10,000 malformed requests of fifteen kinds, slow clients that send a byte a second, and 200
// well-formed requests in flight at once. Every answer must be a 4xx/5xx (a coded JSON error
// where the endpoint's own code answers) or a closed connection, never a token, a crash or the
// key's text; and well-formed requests around them still get tokens. Run per runtime by
// hostile.test.mjs.
import { connect } from 'node:net';

/** A seeded PRNG (mulberry32), so every run sends the same bytes. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = (text) => Buffer.from(text, 'latin1');
const head = (requestLine, headers = []) =>
  enc(`${requestLine}\r\nhost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}connection: close\r\n\r\n`);

/**
 * The kinds of malformed request, each `(random) => Buffer`, with how many of the 10,000 each
 * gets (the large ones fewer: a 1 MB header 10,000 times is a load test, not a parser test).
 */
export const KINDS = {
  'path of 64 KB': [40, () => head(`GET /tokens/${'a'.repeat(65_536)} HTTP/1.1`)],
  'NUL byte in the path': [800, (r) => Buffer.concat([enc('GET /tokens/ab'), Buffer.from([0]), enc(`${Math.floor(r() * 1e6)} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`)])],
  '%00 in the path': [800, (r) => head(`GET /tokens/a%00${Math.floor(r() * 1e6)} HTTP/1.1`)],
  'invalid UTF-8 in the path': [800, (r) => Buffer.concat([enc('GET /tokens/'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, Math.floor(r() * 128) + 128]), enc(' HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')])],
  'percent-encoded invalid UTF-8': [800, () => head('GET /tokens/%ff%fe%c3%28 HTTP/1.1')],
  'NUL and invalid UTF-8 in a header': [800, (r) => Buffer.concat([enc('GET /tokens/abc HTTP/1.1\r\nhost: x\r\nx-odd: a'), Buffer.from([0, 0xff, 0xc3, Math.floor(r() * 256)]), enc('\r\nconnection: close\r\n\r\n')])],
  '1,000 headers': [40, () => head('GET /tokens/abc HTTP/1.1', Array.from({ length: 1000 }, (_, i) => `x-h${i}: ${i}`))],
  'unknown methods': [1200, (r) => head(`${['BREW', 'FOO', 'PROPFIND', 'get', 'DELETE', 'PUT', 'PATCH', 'M-SEARCH'][Math.floor(r() * 8)]} /tokens/abc HTTP/1.1`)],
  'a body on GET': [800, (r) => { const body = 'x'.repeat(1 + Math.floor(r() * 200)); return enc(`GET /tokens/abc HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`); }],
  'Authorization of 1 MB': [20, () => head('GET /tokens/abc HTTP/1.1', [`authorization: Bearer ${'A'.repeat(1 << 20)}`])],
  'random bytes': [1200, (r) => Buffer.from(Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * 256)))],
  'a wrong Authorization': [800, (r) => head('GET /tokens/abc HTTP/1.1', [`authorization: Bearer ${Math.floor(r() * 1e12)}`])],
  'chunked and content-length together': [400, () => enc('GET /tokens/abc HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 4\r\nconnection: close\r\n\r\n0\r\n\r\n')],
  'path traversal': [800, (r) => head(`GET ${['/tokens/../../etc/passwd', '/tokens/%2e%2e%2f%2e%2e%2fetc', '/../tokens/abc', '//tokens/abc', '/tokens/abc/../x'][Math.floor(r() * 5)]} HTTP/1.1`)],
  'a bad request line': [700, (r) => enc(['GET\r\n\r\n', 'GET /tokens/abc\r\n\r\n', 'GET /tokens/abc HTTP/9.9\r\nhost: x\r\n\r\n', ' / HTTP/1.1\r\n\r\n', 'GET /tokens/abc HTTP/1.1\nhost: x\n\n'][Math.floor(r() * 5)])],
};

/**
 * Sends `bytes` on a new connection and reads until the server closes it (or `timeoutMs`).
 * Resolves to { status (null when no status line came), head, body, closedBy }.
 */
export function rawRequest(port, bytes, { timeoutMs = 10_000, bytesPerSecond } = {}) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks = [];
    let timer;
    let drip;
    const finish = (closedBy) => {
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const text = data.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({
        status: status ? Number(status[1]) : null,
        head: split < 0 ? text : text.slice(0, split),
        body: split < 0 ? '' : data.subarray(split + 4).toString('utf8'),
        closedBy,
      });
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks))) finish('response');
    });
    socket.on('end', () => finish('server'));
    socket.on('error', () => finish('server')); // a reset is a close
    timer = setTimeout(() => finish('client timeout'), timeoutMs);
    socket.on('connect', () => {
      if (!bytesPerSecond) {
        socket.write(bytes); // no half-close: Node answers nothing to a client that sent FIN
        return;
      }
      let sent = 0;
      drip = setInterval(() => {
        if (sent >= bytes.length || socket.destroyed) return;
        socket.write(bytes.subarray(sent, sent + 1));
        sent++;
      }, 1000 / bytesPerSecond);
    });
  });
}

/** Whether `data` holds one whole response (by content-length, chunked end, or no body). */
function complete(data) {
  const text = data.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return false;
  const head = text.slice(0, split);
  const body = text.length - split - 4;
  if (/^HTTP\/1\.[01] (1\d\d|204|304)/.test(head)) return true;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) return body >= Number(length[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return text.endsWith('\r\n0\r\n\r\n');
  return false; // ends with the connection
}

/** Runs `jobs` (functions returning promises) `width` at a time; resolves to their results. */
export async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

/** Body of a chunked HTTP/1.1 response, de-chunked (workerd and Bun may chunk). */
export function dechunk(head, body) {
  if (!/transfer-encoding:\s*chunked/i.test(head)) return body;
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    if (line < 0) return out;
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}
