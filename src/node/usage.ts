/**
 * What this process has used so far: peak resident memory and CPU time, for capacity planning (`batch worker`
 * reports it after every unit; the scale benchmark reads it).
 */
import { readFileSync } from 'node:fs';

/** Peak memory and CPU of this process so far; see {@link processUsage}. */
export interface ProcessUsage {
  /** Peak resident set size, MB (2^20 bytes). */
  peakRssMB: number;
  /** Where `peakRssMB` comes from: Linux's `VmHWM` (this process image's own peak) or `getrusage`'s `maxRSS`. */
  peakFrom: 'VmHWM' | 'maxRSS';
  /** CPU time in user mode, s. */
  userCpuS: number;
  /** CPU time in the kernel, s. */
  systemCpuS: number;
}

/**
 * Peak resident memory and CPU time of this process so far. The peak is Linux's `VmHWM` (/proc/self/status) when it
 * can be read, else `process.resourceUsage().maxRSS`. Why not maxRSS everywhere: on Linux a process started by
 * fork + exec (every `child_process.spawn` from Node) keeps in `maxRSS` the peak of the forked copy of its parent,
 * so a small worker started by a 600 MB parent reports 600 MB (measured: 614 MB maxRSS against a 39 MB `VmHWM`;
 * docs/batch.md, "Memory as the season grows"). `VmHWM` belongs to the process image after exec.
 *
 * @example
 * ```ts
 * import { processUsage } from 'hazetrace/node';
 * const u = processUsage();
 * u.peakRssMB > 0; // true
 * ```
 */
export function processUsage(): ProcessUsage {
  const use = process.resourceUsage();
  const cpu = { userCpuS: use.userCPUTime / 1e6, systemCpuS: use.systemCPUTime / 1e6 };
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    // not Linux (or no /proc): maxRSS below
  }
  const hwm = /^VmHWM:\s*(\d+)\s*kB/m.exec(status);
  if (hwm) return { peakRssMB: Number(hwm[1]) / 1024, peakFrom: 'VmHWM', ...cpu };
  return { peakRssMB: use.maxRSS / 1024, peakFrom: 'maxRSS', ...cpu };
}
