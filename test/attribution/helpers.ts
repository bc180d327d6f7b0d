import type { TrajectorySet } from '../../src/core/index.js';
import type { Episode } from '../../src/attribution/index.js';
import { KM_PER_DEG } from '../../src/attribution/util.js';

export const H = 3_600_000;
export { KM_PER_DEG };

/** Straight back-trajectories (one per member): point k at age k h, lng = lng0 − speedDeg·k, lat = lat0 + member offset. */
export function straightSet(opts: { lng0: number; lat0: number; t0: number; hours: number; speedDeg: number; members?: number[]; receptor?: string; memberLatOffsetDeg?: number }): TrajectorySet {
  const members = opts.members ?? [0];
  const n = opts.hours + 1;
  const total = n * members.length;
  const set: TrajectorySet = {
    length: members.length,
    offsets: new Uint32Array(members.length + 1),
    lng: new Float64Array(total),
    lat: new Float64Array(total),
    time: new Float64Array(total),
    ageHours: new Float64Array(total),
    receptor: members.map(() => opts.receptor ?? 'r1'),
    member: Int32Array.from(members),
    startTime: new Float64Array(members.length).fill(opts.t0),
    stopReason: members.map(() => 'completed' as const),
  };
  members.forEach((m, j) => {
    for (let k = 0; k < n; k++) {
      const p = j * n + k;
      set.lng[p] = opts.lng0 - opts.speedDeg * k;
      set.lat[p] = opts.lat0 + (opts.memberLatOffsetDeg ?? 0) * m * (k / opts.hours);
      set.time[p] = opts.t0 - k * H;
      set.ageHours[p] = k;
    }
    set.offsets[j + 1] = (j + 1) * n;
  });
  return set;
}

export function episodeAt(t0: number, station = 'r1'): Episode {
  return { id: `${station}@${t0}`, station, start: t0, end: t0, peakTime: t0, peakValue: 100, meanValue: 100, samples: 1, threshold: 37.5 };
}

export function hotspotsTable(pts: { lng: number; lat: number; time: number; frp?: number }[]) {
  const n = pts.length;
  const f = (g: (p: (typeof pts)[number]) => number) => Float64Array.from(pts, g);
  return {
    length: n,
    lng: f((p) => p.lng),
    lat: f((p) => p.lat),
    time: f((p) => p.time),
    frp: f((p) => p.frp ?? 10),
    brightness: new Float64Array(n).fill(NaN),
    brightness2: new Float64Array(n).fill(NaN),
    scan: new Float64Array(n).fill(1),
    track: new Float64Array(n).fill(1),
    confidence: pts.map(() => '80'),
    confidenceNorm: new Float64Array(n).fill(80),
    satellite: pts.map(() => 'A'),
    instrument: pts.map(() => 'MODIS' as const),
    daynight: pts.map(() => 'D'),
    version: pts.map(() => '6.1NRT'),
    extra: {},
  };
}
