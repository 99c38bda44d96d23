// The README's Node example runs as written: extracted from README.md and run from the
// repository root against the package `make pkg` built, with the fixture key in the env.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the README Node example runs and prints what its comments say', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const example = readme.split('<!-- readme-test: node -->')[1].match(/```js\n([\s\S]*?)```/)[1];
  const file = `${root}readme-example-${process.pid}.mjs`;
  writeFileSync(file, example);
  try {
    const output = execFileSync('node', [file], {
      cwd: root,
      env: { PATH: process.env.PATH, MUX_SIGNING_KEY: 'readme-key', MUX_PRIVATE_KEY: readFileSync(`${root}tests/fixtures/rsa2048-mux.txt`, 'utf8') },
      encoding: 'utf8',
    });
    const lines = output.trim().split('\n');
    assert.match(lines[0], /^https:\/\/image\.mux\.com\/abc123\/thumbnail\.jpg\?token=eyJ/);
    assert.equal(lines[1], "[ 'playback-token', 'thumbnail-token', 'storyboard-token' ]");
    assert.equal(lines[2], 'live_stream_id');
    assert.equal(lines[3], 'PKCS#1 · base64 PEM');
    assert.equal(lines[4], '3');
    assert.equal(lines[5], 'id_invalid playbackId');
  } finally {
    rmSync(file, { force: true });
  }
});
