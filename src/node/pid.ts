/**
 * Whether a process exists, for lock files (the serve state directory's writer lock, the CLI's output folder).
 * Node-only.
 */
import { checkInt } from '../core/errors.js';

/**
 * Whether process `pid` is alive on this machine: signal 0 probes it without touching it; a process we may not
 * signal (EPERM) still exists. A lock whose pid is not alive is stale (its writer was killed).
 *
 * @example
 * ```ts
 * import { isPidAlive } from 'hazetrace/node';
 * isPidAlive(process.pid); // true
 * ```
 */
export function isPidAlive(pid: number): boolean {
  checkInt('pid', pid, 1, 0x7fffffff);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
