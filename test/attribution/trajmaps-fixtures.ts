/** Synthetic trajectory fans for the trajectory-map and significance tests. */
import { createRng } from '../../src/core/index.js';
import type { TrajectorySet } from '../../src/core/index.js';

export const RECEPTOR = { lng: 99, lat: 18.8 };

/** Trajectories from one receptor along random headings (degrees clockwise from north), straight with small noise. */
export function fanSet(n: number, seed: number, hours = 36, stepDeg = 0.25, wanderDeg = 0): { set: TrajectorySet; heading: Float64Array } {
  const rng = createRng(seed);
  const per = hours + 1;
  const total = n * per;
  const set: TrajectorySet = {
    length: n,
    offsets: Uint32Array.from({ length: n + 1 }, (_, t) => t * per),
    lng: new Float64Array(total),
    lat: new Float64Array(total),
    time: new Float64Array(total),
    ageHours: new Float64Array(total),
    receptor: Array.from({ length: n }, () => 'cm'),
    member: new Int32Array(n),
    startTime: Float64Array.from({ length: n }, (_, t) => t * 3_600_000),
    stopReason: Array.from({ length: n }, () => 'completed' as const),
  };
  const heading = new Float64Array(n);
  const cosLat = Math.cos((RECEPTOR.lat * Math.PI) / 180);
  for (let t = 0; t < n; t++) {
    // wanderDeg > 0: headings follow a random walk in start order (autocorrelated like real weather regimes).
    const th = wanderDeg > 0 && t > 0 ? (((heading[t - 1]! + wanderDeg * rng.normal()) % 360) + 360) % 360 : rng.next() * 360;
    heading[t] = th;
    const r = (th * Math.PI) / 180;
    for (let k = 0; k < per; k++) {
      const p = t * per + k;
      const d = stepDeg * k;
      set.lng[p] = RECEPTOR.lng + (d * Math.sin(r)) / cosLat + (k ? 0.02 * rng.normal() : 0);
      set.lat[p] = RECEPTOR.lat + d * Math.cos(r) + (k ? 0.02 * rng.normal() : 0);
      set.time[p] = set.startTime[t]! - k * 3_600_000;
      set.ageHours[p] = k;
    }
  }
  return { set, heading };
}

/** Bearing (degrees clockwise from north) from the receptor to a point, flat-earth. */
export function bearingFromReceptor(lng: number, lat: number): number {
  const cosLat = Math.cos((RECEPTOR.lat * Math.PI) / 180);
  const b = (Math.atan2((lng - RECEPTOR.lng) * cosLat, lat - RECEPTOR.lat) * 180) / Math.PI;
  return (b + 360) % 360;
}

/** Distance in degrees (flat-earth) from the receptor. */
export function degFromReceptor(lng: number, lat: number): number {
  const cosLat = Math.cos((RECEPTOR.lat * Math.PI) / 180);
  return Math.hypot((lng - RECEPTOR.lng) * cosLat, lat - RECEPTOR.lat);
}
