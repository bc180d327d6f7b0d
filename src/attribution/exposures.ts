/**
 * Trajectory-weighted exposure per source category for every (receptor, start time): the predictors of scale
 * calibration and regression apportionment, from the same kernel as {@link attribute}.
 */
import type { TrajectorySet } from '../core/index.js';
import { resolveContact, type ContactOptions, type ContactWeighting } from './contact.js';
import { resolveKernel, type KernelOptions } from './defaults.js';
import { prepare } from './prepare.js';
import { categoryRegionMarginals, Scratch, scoreTrajectories } from './scoring.js';
import type { SourceLayer } from './sources.js';
import { checkOptions, checkTrajectorySet } from '../core/check.js';
import { checkSourceLayer } from './check.js';

/** Per-start exposures by category, from {@link categoryExposures}. */
export interface CategoryExposures {
  /** Receptor per row (one row per receptor and start time). */
  receptor: string[];
  /** Start time per row, UTC ms. */
  time: Float64Array;
  categories: string[];
  /** Kernel sum (mean over members) per category, with the given scales (default: all 1 = raw weights). */
  exposure: Record<string, Float64Array>;
  /** Contact weighting applied (`options.contact`, as {@link attribute}) and why. */
  contact?: import('./contact.js').ContactProvenance;
}

/**
 * Trajectory-weighted exposure per category for every (receptor, start time) in a TrajectorySet — the predictors of
 * {@link calibrateScales} and {@link apportion}. Uses the same kernel as {@link attribute}; scales default to 1 so
 * the exposures are in raw weight units.
 *
 * @example
 * ```ts
 * import { categoryExposures, reportSources } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const set = traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0, receptor: '35t' }, { hours: 24 });
 * const X = categoryExposures(set, reportSources({ lng: [98.8], lat: [18.8], time: [-6 * 3_600_000] }));
 * X.exposure.report?.[0]; // > 0: the air passed over the report
 * ```
 */
export function categoryExposures(
  trajectories: TrajectorySet,
  sources: SourceLayer,
  options: KernelOptions & { contact?: ContactWeighting; contactOptions?: ContactOptions } = {},
): CategoryExposures {
  checkTrajectorySet('trajectories', trajectories);
  checkSourceLayer('sources', sources);
  checkOptions('options', options);
  const k = resolveKernel(options);
  const scales: Record<string, number> = {};
  for (const c of new Set(sources.category)) scales[c] = options.scales?.[c] ?? 1;
  const prep = prepare(sources, k, scales);
  const contact = resolveContact(trajectories, options.contact, options.contactOptions);
  const keyOf = (j: number): string => `${(trajectories.receptor[j] ?? '').toLowerCase()}\u0000${trajectories.startTime[j] as number}`;
  const groups = new Map<string, number[]>();
  for (let j = 0; j < trajectories.length; j++) {
    const key = keyOf(j);
    let arr = groups.get(key);
    if (!arr) groups.set(key, (arr = []));
    arr.push(j);
  }
  const cats = prep.dims[0] as { names: string[] };
  const n = groups.size;
  const exposure: Record<string, Float64Array> = {};
  for (const c of cats.names) exposure[c] = new Float64Array(n);
  const receptor: string[] = [];
  const time = new Float64Array(n);
  const scratch = new Scratch(prep.group.names.length, sources.length);
  let row = 0;
  for (const idx of groups.values()) {
    idx.sort((a, b) => (trajectories.member[a] as number) - (trajectories.member[b] as number));
    const members = [...new Set(idx.map((j) => trajectories.member[j] as number))];
    const slotOf = new Map(members.map((m, i) => [m, i]));
    const memberSums = prep.sums.map((d) => new Float64Array(members.length * d.size));
    scoreTrajectories(prep, k, trajectories, idx, scratch, memberSums, (j) => slotOf.get(trajectories.member[j] as number) as number, members.length, contact.weights);
    const arr = categoryRegionMarginals(memberSums[0] as Float64Array, members.length, cats.names.length, (prep.dims[1] as { names: string[] }).names.length).category;
    const nV = cats.names.length;
    for (let v = 0; v < nV; v++) {
      let s = 0;
      for (let m = 0; m < members.length; m++) s += arr[m * nV + v] as number;
      (exposure[cats.names[v] as string] as Float64Array)[row] = s / members.length;
    }
    const j0 = idx[0] as number;
    receptor.push((trajectories.receptor[j0] ?? '').toLowerCase());
    time[row] = trajectories.startTime[j0] as number;
    row++;
  }
  return { receptor, time, categories: cats.names, exposure, contact: contact.provenance };
}

