/**
 * Conditional probability function (openair `polarPlot(statistic = 'cpf')`, Ashbaugh et al. 1985; Uria-Tellaetxe
 * & Carslaw 2014): the share of samples in each wind-direction × speed bin whose concentration is above a
 * percentile of all samples. High probabilities point at nearby sources upwind in that sector.
 */
import { argError, checkInt, checkPositive } from '../core/index.js';
import { checkArrayLike, checkPercentile, quantile7 } from './util.js';
import { lowerBound } from '../core/stats.js';
import { checkOptions } from '../core/check.js';

/** Options for {@link cpf}. */
export interface CpfOptions {
  /** Percentile threshold, default 75. */
  percentile?: number;
  /** Number of direction sectors, default 16 (22.5° each, the first centred on north). */
  directionBins?: number;
  /** Speed bin edges in m/s (ascending, last may be Infinity), default [0, 1, 2, 3, 5, Infinity]. */
  speedBins?: number[];
  /** Join a concentration to the wind sample at most this many minutes away, default 30. */
  maxTimeGapMinutes?: number;
  /** Speeds below this are calm and go to no sector (counted separately), default 0 (none). */
  calmBelow?: number;
}

/** One direction × speed bin. */
export interface CpfBin {
  /** Sector index (0 = north). */
  sector: number;
  /** Sector centre, degrees from north (direction the wind blows FROM). */
  direction: number;
  directionFrom: number;
  directionTo: number;
  speedFrom: number;
  speedTo: number;
  /** Samples in the bin. */
  n: number;
  /** Samples above the threshold. */
  m: number;
  /** m / n (NaN when n = 0). */
  probability: number;
}

/** Result of {@link cpf}: a polar grid a report can draw directly. */
export interface CpfResult {
  threshold: number;
  percentile: number;
  bins: CpfBin[];
  /** Per sector over all speeds. */
  bySector: { sector: number; direction: number; n: number; m: number; probability: number }[];
  /** Samples joined (concentration and wind both present). */
  joined: number;
  /** Concentrations without a wind sample within `maxTimeGapMinutes`. */
  unmatched: number;
  calm: number;
  toJSON(): object;
}

/**
 * Conditional probability function by wind direction × speed.
 *
 * @example
 * ```ts
 * import { cpf } from 'hazetrace/attribution';
 * const t = [0, 3_600_000, 7_200_000, 10_800_000];
 * const r = cpf({ time: t, value: [10, 90, 12, 95] }, { time: t, speed: [2, 2, 2, 2], direction: [180, 0, 180, 10] });
 * r.bySector[0]?.probability; // 0.5: of the two northerly samples only 95 exceeds the 75th percentile (91.25)
 * ```
 */
export function cpf(
  series: { time: ArrayLike<number>; value: ArrayLike<number> },
  wind: { time: ArrayLike<number>; speed: ArrayLike<number>; direction: ArrayLike<number> },
  options: CpfOptions = {},
): CpfResult {
  checkOptions('options', options);
  const percentile = checkPercentile('options.percentile', options.percentile ?? 75);
  const nSec = checkInt('options.directionBins', options.directionBins ?? 16, 1, 360);
  const edges = options.speedBins ?? [0, 1, 2, 3, 5, Infinity];
  if (!Array.isArray(edges) || edges.length < 2 || edges.some((e, i) => Number.isNaN(e) || (i > 0 && e <= (edges[i - 1] as number)))) {
    throw argError('options.speedBins', edges, 'ascending speed edges (at least two)');
  }
  const maxGap = checkPositive('options.maxTimeGapMinutes', options.maxTimeGapMinutes ?? 30, true) * 60_000;
  const calmBelow = checkPositive('options.calmBelow', options.calmBelow ?? 0, true);
  const st = checkArrayLike('series.time', series?.time);
  const sv = checkArrayLike('series.value', series?.value);
  const wt = checkArrayLike('wind.time', wind?.time);
  const ws = checkArrayLike('wind.speed', wind?.speed);
  const wd = checkArrayLike('wind.direction', wind?.direction);
  if (st.length !== sv.length) throw argError('series.value', sv, `length ${st.length} like series.time`);
  if (ws.length !== wt.length || wd.length !== wt.length) throw argError('wind', wind, 'time, speed and direction of equal length');
  // Sort wind by time once, then join each concentration to the nearest wind time by binary search.
  const order = Array.from({ length: wt.length }, (_, i) => i).filter((i) => Number.isFinite(wt[i]) && Number.isFinite(ws[i]) && Number.isFinite(wd[i]));
  order.sort((a, b) => (wt[a] as number) - (wt[b] as number));
  const wtimes = order.map((i) => wt[i] as number);
  const cv: number[] = [];
  const cs: number[] = [];
  const cd: number[] = [];
  let unmatched = 0;
  for (let i = 0; i < st.length; i++) {
    const t = st[i] as number;
    const v = sv[i] as number;
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const lo = lowerBound(wtimes, t);
    let best = -1;
    let bestGap = Infinity;
    for (const j of [lo - 1, lo]) {
      if (j < 0 || j >= wtimes.length) continue;
      const g = Math.abs((wtimes[j] as number) - t);
      if (g < bestGap) {
        bestGap = g;
        best = j;
      }
    }
    if (best < 0 || bestGap > maxGap) {
      unmatched++;
      continue;
    }
    const w = order[best] as number;
    cv.push(v);
    cs.push(ws[w] as number);
    cd.push(wd[w] as number);
  }
  const threshold = quantile7(cv, percentile / 100);
  const width = 360 / nSec;
  const nSpeed = edges.length - 1;
  const n = new Float64Array(nSec * nSpeed);
  const m = new Float64Array(nSec * nSpeed);
  let calm = 0;
  for (let i = 0; i < cv.length; i++) {
    const s = cs[i] as number;
    if (s < calmBelow) {
      calm++;
      continue;
    }
    let d = (cd[i] as number) % 360;
    if (d < 0) d += 360;
    const sec = Math.floor((d + width / 2) / width) % nSec;
    let sb = -1;
    for (let b = 0; b < nSpeed; b++) if (s >= (edges[b] as number) && s < (edges[b + 1] as number)) sb = b;
    if (sb < 0) continue;
    n[sec * nSpeed + sb] = (n[sec * nSpeed + sb] as number) + 1;
    if ((cv[i] as number) > threshold) m[sec * nSpeed + sb] = (m[sec * nSpeed + sb] as number) + 1;
  }
  const bins: CpfBin[] = [];
  const bySector: CpfResult['bySector'] = [];
  for (let sec = 0; sec < nSec; sec++) {
    let sn = 0;
    let sm = 0;
    const dir = sec * width;
    for (let b = 0; b < nSpeed; b++) {
      const nn = n[sec * nSpeed + b] as number;
      const mm = m[sec * nSpeed + b] as number;
      sn += nn;
      sm += mm;
      bins.push({
        sector: sec,
        direction: dir,
        directionFrom: (dir - width / 2 + 360) % 360,
        directionTo: dir + width / 2,
        speedFrom: edges[b] as number,
        speedTo: edges[b + 1] as number,
        n: nn,
        m: mm,
        probability: nn > 0 ? mm / nn : NaN,
      });
    }
    bySector.push({ sector: sec, direction: dir, n: sn, m: sm, probability: sn > 0 ? sm / sn : NaN });
  }
  const body = { threshold, percentile, bins, bySector, joined: cv.length, unmatched, calm };
  return {
    ...body,
    toJSON() {
      return {
        ...body,
        // JSON has no Infinity/NaN: open-ended speed bins become null.
        bins: bins.map((b) => ({ ...b, speedTo: Number.isFinite(b.speedTo) ? b.speedTo : null, probability: Number.isFinite(b.probability) ? b.probability : null })),
        bySector: bySector.map((b) => ({ ...b, probability: Number.isFinite(b.probability) ? b.probability : null })),
      };
    },
  };
}

