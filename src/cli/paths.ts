/** Where the package lives on disk, to find the embedded sample (`data/`) and the benchmarks. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above `dist/cli/` (or `src/cli/` under tsx). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** The embedded sample folder shipped with the package. */
export const sampleDataDir = (): string => join(packageRoot(), 'data');
