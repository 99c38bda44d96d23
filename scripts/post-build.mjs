// Trunk's post_build hook (Trunk.toml), in order: check the page's CSP, bundle the page's
// scripts (scripts/bundle.mjs), write the single-file page, put the bundles in place of the
// modules they were made from, write each text and wasm file again as .br and .gz
// (scripts/precompress.mjs), then SHA256SUMS over everything (so it covers the single file and
// the compressed files too).
import { SERVED_FILES, checkServedFiles, servedBundles } from './bundle.mjs';
import { checkPage } from './check-page.mjs';
import { writeChecksums } from './checksums.mjs';
import { precompress, precompressedNames } from './precompress.mjs';
import { buildSingleFile } from './single-file.mjs';

const dist = process.env.TRUNK_STAGING_DIR ?? 'dist';
try {
  checkPage(dist);
  const writeBundles = await servedBundles(dist);
  await buildSingleFile(dist);
  writeBundles();
  precompress(dist);
  writeChecksums(dist);
  checkServedFiles(dist, [...SERVED_FILES, ...precompressedNames(SERVED_FILES)]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
