// Trunk's post_build hook (Trunk.toml), in order: check the page's CSP, write the single-file
// page, then SHA256SUMS over everything (so it covers the single file too).
import { checkPage } from './check-page.mjs';
import { writeChecksums } from './checksums.mjs';
import { buildSingleFile } from './single-file.mjs';

const dist = process.env.TRUNK_STAGING_DIR ?? 'dist';
try {
  checkPage(dist);
  await buildSingleFile(dist);
  writeChecksums(dist);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
