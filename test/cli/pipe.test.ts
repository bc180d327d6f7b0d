/**
 * The built command in a pipe whose reader has gone (`hazetrace … | head -c 0`): it stops with exit 141 (128 +
 * SIGPIPE, as Unix tools do) and no stack trace, instead of crashing on an unhandled 'error' event.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('stdout closed by its reader', () => {
  it('exits 141 quietly (no unhandled EPIPE)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader leaves before anything is written
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(141);
  }, 60_000);
});
