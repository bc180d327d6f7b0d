/**
 * Where the full shared real data lives, for the tests that use it: `$HAZETRACE_SHARED_DATA`, then
 * `../shared/data` beside the repository (as CI lays it out), then `/work/shared/data`. It is not part of a
 * clone, so those tests skip when this is undefined, and say why (see {@link needsSharedData}); committed
 * slices in test/fixtures cover the same formats. README "Tests" says how to run them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

export const SHARED_DATA: string | undefined = [process.env['HAZETRACE_SHARED_DATA'], resolve(repo, '../shared/data'), '/work/shared/data'].find(
  (d): d is string => d !== undefined && d !== '' && existsSync(resolve(d, 'SOURCES.tsv')),
);

/** How to make the shared-data tests run. */
export const SHARED_DATA_HELP =
  'set HAZETRACE_SHARED_DATA to the folder of the full shared data (the one holding SOURCES.tsv), or place it at ../shared/data beside the repository';

/**
 * Whether a test that needs the full shared data can run; when it cannot, print why it skips
 * (console.warn, so a plain `vitest run` shows it) and how to run it. Use as `it.skipIf(!needsSharedData('...'))`.
 */
export function needsSharedData(what: string): boolean {
  if (SHARED_DATA !== undefined) return true;
  console.warn(`[skip] ${what}: needs the full shared real data, which is not here (looked in $HAZETRACE_SHARED_DATA, ../shared/data, /work/shared/data); ${SHARED_DATA_HELP}`);
  return false;
}

/** Whether a test that needs the built package (dist/) can run; prints why it skips when it cannot. */
export function needsBuild(what: string, file = 'dist/index.js'): boolean {
  if (existsSync(resolve(repo, file))) return true;
  console.warn(`[skip] ${what}: needs the built package (${file} is missing); run \`npm run build\` first (\`npm test\` does)`);
  return false;
}
