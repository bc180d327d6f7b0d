/**
 * The classic baseline beside the kernel attribution: hotspots within R km of the back-trajectory polyline, detected
 * within H hours before the episode (up to its end), counted once each and summed by category and region.
 */
import { HOUR_MS, type TrajectorySet } from '../core/index.js';
import type { Episode } from './episodes.js';
import type { Prepared } from './prepare.js';
import type { SourceBin } from './sourceindex.js';
import type { BaselineResult } from './types.js';
import { KM_PER_DEG } from './util.js';

/** Distance (km) from P to segment AB in a local equirectangular frame around P. */
function segmentDistKm(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const c = Math.cos((py * Math.PI) / 180) * KM_PER_DEG;
  const x1 = (ax - px) * c;
  const y1 = (ay - py) * KM_PER_DEG;
  const x2 = (bx - px) * c;
  const y2 = (by - py) * KM_PER_DEG;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const L2 = dx * dx + dy * dy;
  let f = L2 > 0 ? -(x1 * dx + y1 * dy) / L2 : 0;
  if (f < 0) f = 0;
  else if (f > 1) f = 1;
  return Math.hypot(x1 + f * dx, y1 + f * dy);
}

/**
 * Count the hotspots of `prep.layer` within `radiusKm` of the trajectories `trajIdx` of `set` (points of age ≤ `hours`,
 * the last segment cut at exactly `hours`) and detected in [episode start − hours, episode end]. `seen` (one slot
 * per layer row) and `stampVal` (distinct per episode) mark rows already counted, so the caller reuses one buffer.
 */
export function classicBaseline(prep: Prepared, set: TrajectorySet, trajIdx: number[], ep: Episode, radiusKm: number, hours: number, seen: Int32Array, stampVal: number): BaselineResult {
  const { layer } = prep;
  const byCategory: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  let count = 0;
  const tMin = ep.start - hours * HOUR_MS;
  const tMax = ep.end;
  let ax = 0;
  let ay = 0;
  let bx = 0;
  let by = 0;
  const visit = (bin: SourceBin, kk: number): void => {
    const s = bin.rows[kk] as number;
    if (seen[s] === stampVal || layer.kinds[s] !== 'hotspot') return;
    const ts = layer.time[s] as number;
    if (ts < tMin || ts > tMax) return;
    if (segmentDistKm(layer.lng[s] as number, layer.lat[s] as number, ax, ay, bx, by) > radiusKm) return;
    seen[s] = stampVal;
    count++;
    const c = layer.category[s] as string;
    const r = layer.region[s] as string;
    byCategory[c] = (byCategory[c] ?? 0) + 1;
    byRegion[r] = (byRegion[r] ?? 0) + 1;
  };
  for (const j of trajIdx) {
    const a = set.offsets[j] as number;
    const b = set.offsets[j + 1] as number;
    for (let p = a; p < b; p++) {
      const ageA = Math.abs(set.ageHours[p] as number);
      if (!(ageA <= hours)) break;
      ax = set.lng[p] as number;
      ay = set.lat[p] as number;
      if (p + 1 < b && Math.abs(set.ageHours[p + 1] as number) > ageA) {
        const ageB = Math.abs(set.ageHours[p + 1] as number);
        // Truncate the last segment at exactly `hours` of age.
        const f = ageB > hours ? (hours - ageA) / (ageB - ageA) : 1;
        bx = ax + f * ((set.lng[p + 1] as number) - ax);
        by = ay + f * ((set.lat[p + 1] as number) - ay);
      } else {
        bx = ax;
        by = ay;
      }
      if (!Number.isFinite(ax) || !Number.isFinite(ay) || !Number.isFinite(bx) || !Number.isFinite(by)) continue;
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      const half = Math.hypot((bx - ax) * Math.cos((my * Math.PI) / 180), by - ay) * KM_PER_DEG / 2;
      prep.hotspotIndex?.query(mx, my, radiusKm + half + 1e-6, tMin, tMax, visit);
    }
  }
  const shares = (rec: Record<string, number>): Record<string, number> => {
    const o: Record<string, number> = {};
    for (const [key, v] of Object.entries(rec)) o[key] = count > 0 ? v / count : 0;
    return o;
  };
  return { radiusKm, hours, count, byCategory, byRegion, sharesByCategory: shares(byCategory), sharesByRegion: shares(byRegion) };
}
