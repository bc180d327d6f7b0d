/**
 * Skill of an attribution against the truth of a twin experiment. Per
 * episode: category-share error (mean absolute error over the scenario's
 * categories, percentage points), cross-border share error (pp), Spearman
 * rank correlation of per-source contributions and top-10 recall (over the
 * sources attribution could see); then means over episodes.
 */
import { midRanks } from '../core/stats.js';
import type { DispersionResult } from './dispersion.js';
import { SIM_CATEGORIES } from './scenario.js';
import type { Scenario, SimCategory } from './scenario.js';
import { checkArrayLike, checkItems, checkSameLength, checkShape, checkString } from '../core/check.js';
import { checkInt } from '../core/errors.js';
import { checkDispersion, checkScenario } from './check.js';

/** Skill of one method on one episode (or the mean over episodes). */
export interface Skill {
  /** Mean |attributed − true| category share over the scenario's categories, percentage points. */
  categoryShareMaePp: number;
  /** |attributed − true| share from sources outside the monitor's country, percentage points. */
  crossBorderMaePp: number;
  /** Spearman rank correlation of per-source contributions (0 when the attribution found nothing). */
  spearman: number;
  /** Fraction of the 10 truly largest sources found among the attribution's 10 largest. */
  top10Recall: number;
}

/**
 * Spearman's rank correlation (Pearson correlation of tie-averaged ranks). NaN when either side is constant.
 *
 * @example
 * ```ts
 * import { spearman } from 'hazetrace/sim';
 * spearman([1, 2, 3, 4], [10, 20, 30, 40]); // 1
 * spearman([1, 2, 3], [3, 2, 1]);           // -1
 * ```
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkArrayLike('a', a);
  checkArrayLike('b', b);
  checkSameLength('a', a.length, 'b', b.length);
  if (a.length !== b.length || a.length < 2) return NaN;
  const ra = midRanks(a), rb = midRanks(b);
  const n = a.length;
  const ma = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i]! - ma, db = rb[i]! - ma;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Indices of the `k` largest positive values (ties broken by index). */
function topK(x: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i]! > 0) idx.push(i);
  return idx.sort((a, b) => x[b]! - x[a]! || a - b).slice(0, k);
}

/**
 * Recall of the `k` truly largest sources among the attribution's `k` largest: |top_k(truth) ∩ top_k(attr)| / |top_k(truth)|.
 *
 * @example
 * ```ts
 * import { topKRecall } from 'hazetrace/sim';
 * topKRecall([5, 4, 0, 1], [1, 9, 0, 8], 2); // 0.5: source 1 found, source 0 missed
 * ```
 */
export function topKRecall(truth: ArrayLike<number>, attributed: ArrayLike<number>, k = 10): number {
  checkArrayLike('truth', truth);
  checkArrayLike('attributed', attributed);
  checkInt('k', k, 0, Number.MAX_SAFE_INTEGER);
  const t = topK(truth, k);
  if (t.length === 0) return NaN;
  const a = new Set(topK(attributed, k));
  return t.filter((i) => a.has(i)).length / t.length;
}

/** An episode to score: monitor index and `[start, end)` UTC ms. */
export interface ScoredEpisode {
  monitor: number;
  start: number;
  end: number;
}

/**
 * True mean contribution (µg/m³) of every source at a monitor over `[start, end)`.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, episodeTruth } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 48 });
 * const d = runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 300 });
 * const truth = episodeTruth(sc, d, { monitor: 0, start: d.times[24], end: d.times[47] + 3_600_000 });
 * ```
 */
export function episodeTruth(sc: Scenario, disp: DispersionResult, ep: ScoredEpisode): Float64Array {
  checkScenario('sc', sc);
  checkDispersion('disp', disp);
  checkShape('ep', ep, { monitor: 'number', start: 'number', end: 'number' });
  const out = new Float64Array(sc.sources.length);
  const hours = disp.times.length;
  let n = 0;
  for (let h = 0; h < hours; h++) {
    const t = disp.times[h]!;
    if (t < ep.start || t >= ep.end) continue;
    n++;
    const map = disp.contributions[ep.monitor * hours + h];
    if (map) for (const [s, v] of map) out[s]! += v;
  }
  if (n > 0) for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

/**
 * Shares of a per-source vector by category and from outside `homeCountry`. Zero vector -> all shares 0.
 *
 * @example
 * ```ts
 * import { buildScenario, shares } from 'hazetrace/sim';
 * const sc = buildScenario({ hours: 24 });
 * shares(sc, new Float64Array(sc.sources.length).fill(1), 'THA').crossBorder; // fraction of sources outside Thailand
 * ```
 */
export function shares(sc: Scenario, perSource: ArrayLike<number>, homeCountry: string): { category: Record<SimCategory, number>; crossBorder: number } {
  checkScenario('sc', sc);
  checkArrayLike('perSource', perSource);
  checkSameLength('sc.sources', sc.sources.length, 'perSource', perSource.length);
  checkString('homeCountry', homeCountry);
  const category = Object.fromEntries(SIM_CATEGORIES.map((c) => [c, 0])) as Record<SimCategory, number>;
  let total = 0, cross = 0;
  for (let i = 0; i < perSource.length; i++) {
    const v = perSource[i]!;
    if (!(v > 0)) continue;
    total += v;
    category[sc.sources.category[i]!] += v;
    if (sc.sources.country[i] !== homeCountry) cross += v;
  }
  if (total > 0) for (const c of SIM_CATEGORIES) category[c] /= total;
  return { category, crossBorder: total > 0 ? cross / total : 0 };
}

/**
 * Score one episode: per-source truth vs attribution (both indexed by truth source). Category and cross-border
 * shares compare against the FULL truth (fires no satellite saw still count: the shares must match reality).
 * Spearman and top-10 recall rank the sources attribution could see (`visible`, default all): a fire that burnt
 * between overpasses can't be ranked by any method, so it is left out of the ranking metrics — its weight shows
 * in the share errors instead (and in the `visibleTruthFraction` a twin experiment reports beside them).
 * Spearman uses the visible sources that contribute in truth or in the attribution.
 *
 * @example
 * ```ts
 * import { buildScenario, scoreEpisode } from 'hazetrace/sim';
 * const sc = buildScenario({ hours: 24 });
 * const t = new Float64Array(sc.sources.length).fill(1);
 * scoreEpisode(sc, t, t, 'THA').categoryShareMaePp; // 0
 * ```
 */
export function scoreEpisode(sc: Scenario, truth: ArrayLike<number>, attributed: ArrayLike<number>, homeCountry: string, visible?: ArrayLike<number>): Skill {
  checkScenario('sc', sc);
  checkArrayLike('truth', truth);
  checkArrayLike('attributed', attributed);
  checkSameLength('truth', truth.length, 'attributed', attributed.length);
  if (visible !== undefined) checkArrayLike('visible', visible);
  const st = shares(sc, truth, homeCountry);
  const sa = shares(sc, attributed, homeCountry);
  // Only categories the scenario has count: a missing category would dilute the mean with zeros.
  const present = SIM_CATEGORIES.filter((c) => sc.sources.category.includes(c));
  let mae = 0;
  for (const c of present) mae += Math.abs(st.category[c] - sa.category[c]);
  mae = (100 * mae) / Math.max(1, present.length);
  const a: number[] = [], b: number[] = [];
  const tv = new Float64Array(truth.length), av = new Float64Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    if (visible && !visible[i]) continue;
    const ti = truth[i]! > 0 ? truth[i]! : 0, ai = attributed[i]! > 0 ? attributed[i]! : 0;
    tv[i] = ti;
    av[i] = ai;
    if (ti > 0 || ai > 0) {
      a.push(ti);
      b.push(ai);
    }
  }
  const rho = spearman(a, b);
  return {
    categoryShareMaePp: mae,
    crossBorderMaePp: 100 * Math.abs(st.crossBorder - sa.crossBorder),
    spearman: Number.isNaN(rho) ? 0 : rho,
    top10Recall: topKRecall(tv, av, 10),
  };
}

/**
 * Mean of each metric over episodes (NaN entries skipped; NaN when there are none).
 *
 * @example
 * ```ts
 * import { summariseSkill } from 'hazetrace/sim';
 * summariseSkill([
 *   { categoryShareMaePp: 2, crossBorderMaePp: 4, spearman: 0.8, top10Recall: 1 },
 *   { categoryShareMaePp: 4, crossBorderMaePp: 2, spearman: 0.6, top10Recall: NaN },
 * ]); // { categoryShareMaePp: 3, crossBorderMaePp: 3, spearman: 0.7, top10Recall: 1, episodes: 2 }
 * ```
 */
export function summariseSkill(list: Skill[]): Skill & { episodes: number } {
  checkItems('list', list);
  const mean = (k: keyof Skill): number => {
    const v = list.map((s) => s[k]).filter((x) => Number.isFinite(x));
    return v.length ? v.reduce((p, q) => p + q, 0) / v.length : NaN;
  };
  return {
    categoryShareMaePp: mean('categoryShareMaePp'),
    crossBorderMaePp: mean('crossBorderMaePp'),
    spearman: mean('spearman'),
    top10Recall: mean('top10Recall'),
    episodes: list.length,
  };
}
