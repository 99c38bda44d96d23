// Trunk's post_build hook (Trunk.toml), in order: check the page's CSP, bundle the page's
// scripts (scripts/bundle.mjs), write the single-file page, put the bundles in place of the
// modules they were made from, then SHA256SUMS over everything (so it covers the single file too).
import { checkServedFiles, servedBundles } from './bundle.mjs';
import { checkPage } from './check-page.mjs';
import { writeChecksums } from './checksums.mjs';
import { buildSingleFile } from './single-file.mjs';

const dist = process.env.TRUNK_STAGING_DIR ?? 'dist';
try {
  checkPage(dist);
  const writeBundles = await servedBundles(dist);
  await buildSingleFile(dist);
  writeBundles();
  writeChecksums(dist);
  checkServedFiles(dist);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
