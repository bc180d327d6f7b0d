/**
 * Where the full shared real data lives, for the tests that use it: `$HAZETRACE_SHARED_DATA`, then
 * `../shared/data` beside the repository (as CI lays it out), then `/work/shared/data`. It is not part of a
 * clone, so those tests skip when this is undefined; committed slices in test/fixtures cover the same formats.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

export const SHARED_DATA: string | undefined = [process.env['HAZETRACE_SHARED_DATA'], resolve(repo, '../shared/data'), '/work/shared/data'].find(
  (d): d is string => d !== undefined && d !== '' && existsSync(resolve(d, 'SOURCES.tsv')),
);
