import { resolve } from 'node:path';
import { run } from '../src/cli/run.js';

/** The repository root, the working directory of in-process CLI runs. */
export const ROOT = resolve(import.meta.dirname, '..');

/** Run `hazetrace <args>` in-process with captured stdout/stderr; returns the exit code and the output. */
export async function cli(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, cwd);
  return { code, stdout, stderr };
}
