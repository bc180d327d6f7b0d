/**
 * Outputs of trajectory clustering: the cluster mean paths as GeoJSON (with each cluster's size and, when given, its
 * PM2.5 statistics), the per-trajectory assignment as CSV and the per-cluster statistics as CSV. `hazetrace cluster`
 * writes these; notebooks and services call them directly.
 */
import { toIsoUtc, type TrajectorySet } from '../core/index.js';
import { toCsv } from '../io/index.js';
import type { ClusterResult } from './cluster.js';
import type { ClusterStatistics } from './clusterstats.js';
import { checkItems, checkShape } from '../core/check.js';

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Each cluster's mean path as a GeoJSON LineString (receptor first), with `cluster`, `size`, `percent`, the medoid's
 * trajectory index and, with `stats`, the PM2.5 mean, p50, p90 and share above the threshold.
 *
 * @example
 * ```ts
 * import { clusterTrajectories, clustersToGeoJson } from 'hazetrace/attribution';
 * import { traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const starts = [0, 1, 2, 3].map((i) => ({ lng: 99, lat: 18.8, time: i * 3_600_000 }));
 * const set = traceTrajectories(uniformWind({ speed: 4, directionFrom: 270 }), starts, { hours: 12 });
 * clustersToGeoJson(clusterTrajectories(set, { k: 1 })).features.length; // 1
 * ```
 */
export function clustersToGeoJson(result: Pick<ClusterResult, 'meanPaths' | 'size' | 'percent' | 'medoids'>, stats?: ClusterStatistics): { type: 'FeatureCollection'; features: object[] } {
  checkShape('result', result, { meanPaths: 'array', size: 'arrayLike', percent: 'arrayLike', medoids: 'arrayLike' });
  if (stats !== undefined) checkShape('stats', stats, { clusters: 'array' });
  return {
    type: 'FeatureCollection',
    features: result.meanPaths.map((p, c) => {
      const s = stats?.clusters[c];
      return {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: Array.from(p.lng, (x, i) => [x, p.lat[i] as number]) },
        properties: {
          cluster: c,
          size: result.size[c],
          percent: result.percent[c],
          medoid: result.medoids[c],
          ...(s ? { pm25Mean: num(s.mean), pm25P50: num(s.p50), pm25P90: num(s.p90), aboveShare: num(s.aboveShare), matched: s.matched } : {}),
        },
      };
    }),
  };
}

/**
 * One CSV row per trajectory: index, receptor, start time (ISO UTC), cluster (−1 when left out for its length) and,
 * with `stats`, the matched concentration.
 *
 * @example
 * ```ts
 * import { clusterAssignmentToCsv } from 'hazetrace/attribution';
 * clusterAssignmentToCsv({ length: 0, receptor: [], startTime: new Float64Array(0) }, { assignment: new Int32Array(0) }).split('\n')[0]; // 'trajectory,receptor,start_utc,cluster'
 * ```
 */
export function clusterAssignmentToCsv(set: Pick<TrajectorySet, 'length' | 'receptor' | 'startTime'>, result: Pick<ClusterResult, 'assignment'>, stats?: ClusterStatistics): string {
  checkShape('set', set, { length: 'number', receptor: 'arrayLike', startTime: 'arrayLike' });
  checkShape('result', result, { assignment: 'arrayLike' });
  if (stats !== undefined) checkShape('stats', stats, { clusters: 'array' });
  const rows: unknown[][] = [];
  for (let t = 0; t < set.length; t++) {
    const row: unknown[] = [t, set.receptor[t] ?? '', toIsoUtc(set.startTime[t] as number), result.assignment[t]];
    if (stats) row.push(num(stats.values[t] as number));
    rows.push(row);
  }
  return toCsv(['trajectory', 'receptor', 'start_utc', 'cluster', ...(stats ? ['pm25'] : [])], rows);
}

/**
 * One CSV row per cluster: n, %, matched, mean, p10, p50, p90 and the share above the threshold.
 *
 * @example
 * ```ts
 * import { clusterStatisticsToCsv } from 'hazetrace/attribution';
 * clusterStatisticsToCsv({ clusters: [], values: new Float64Array(0), threshold: 37.5, unmatched: 0, toJSON: () => ({}) }).split('\n')[0]; // 'cluster,n,percent,matched,mean,p10,p50,p90,above_share'
 * ```
 */
export function clusterStatisticsToCsv(stats: ClusterStatistics): string {
  checkItems('stats.clusters', checkShape<ClusterStatistics>('stats', stats, { clusters: 'array' }).clusters);
  return toCsv(
    ['cluster', 'n', 'percent', 'matched', 'mean', 'p10', 'p50', 'p90', 'above_share'],
    stats.clusters.map((c) => [c.cluster, c.n, c.percent, c.matched, num(c.mean), num(c.p10), num(c.p50), num(c.p90), num(c.aboveShare)]),
  );
}
