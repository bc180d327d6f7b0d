/**
 * Trajectory maps, significance and per-cluster PM2.5 on the embedded real data (docs/trajectory-maps.md):
 * Chiang Mai 35t hourly PM2.5 and ERA5 point wind, spring (1 Feb – 30 Apr 2026), 72-h back-trajectories every 3 h.
 * Run: npx tsx scripts/trajmaps-chiangmai.ts   (prints the numbers quoted in the docs)
 */
import { readFileSync } from 'node:fs';
import { readStationSeriesCsv } from '../src/io/index.js';
import { readWindCsv, stationWind, traceTrajectories } from '../src/wind/index.js';
import { clusterStatistics, differenceSignificance, trajectoryConcentrations, trajectoryFrequency, trajStatSignificance } from '../src/attribution/index.js';
import * as attribution from '../src/attribution/index.js';

const fx = (name: string) => readFileSync(new URL(`../test/fixtures/attribution/${name}`, import.meta.url), 'utf8');
const { series } = readStationSeriesCsv(fx('air4thai_35t_pm25_2026-01_04.csv'));
const { observations } = readWindCsv(fx('wind_cm_2026-01_04.csv'));
const wind = stationWind(observations);
const pm = { station: series.station, time: series.time, value: series.values['pm25_ugm3']! };
const from = Date.UTC(2026, 1, 1);
const to = Date.UTC(2026, 3, 30);
const starts = [];
for (let t = from; t < to; t += 3 * 3.6e6) starts.push({ lng: 98.96978, lat: 18.840732, time: t, receptor: '35t' });
const t0 = performance.now();
const set = traceTrajectories(wind, starts, { hours: 72 });
console.log(`${set.length} back-trajectories (72 h, every 3 h, ${new Date(from).toISOString().slice(0, 10)} – ${new Date(to).toISOString().slice(0, 10)}) in ${(performance.now() - t0).toFixed(0)} ms`);

const values = trajectoryConcentrations(set, pm);
const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
console.log(`PM2.5 matched to ${finite.length}/${set.length} trajectories; median ${finite[Math.floor(finite.length / 2)]!.toFixed(1)} µg/m³`);

const rt = trajectoryFrequency(set, { res: 4, statistic: 'residence-time' });
const topRt = [...rt.cells].sort((a, b) => b.hours - a.hours).slice(0, 5);
console.log(`residence time on H3 res 4: ${rt.cells.length} cells, ${rt.totalHours.toFixed(0)} h; top cells:`, topRt.map((c) => `${c.lat.toFixed(2)},${c.lng.toFixed(2)} ${c.value.toFixed(1)} %`).join('; '));
const fr = trajectoryFrequency(set, { res: 4 });
console.log(`cells passed by ≥ 10 % of trajectories: ${fr.cells.filter((c) => c.value >= 10).length}`);

// Starts 3 h apart share air and pollution: besides the free shuffle, test with circular shifts of ≥ 24 h (8 starts).
for (const [statistic, scheme] of [['pscf', 'shuffle'], ['pscf', 'circular-shift'], ['cwt', 'shuffle'], ['cwt', 'circular-shift']] as const) {
  const t1 = performance.now();
  const r = trajStatSignificance(set, values, { statistic, grid: { type: 'h3', res: 4 }, permutations: 999, seed: 1, minBin: 10, scheme, minShift: 8 });
  const sig = r.cells.filter((c) => c.significant).sort((a, b) => b.value - a.value);
  console.log(
    `${statistic.toUpperCase()} ${scheme} (H3 res 4, minBin 10, 999 permutations, ${(performance.now() - t1).toFixed(0)} ms): ${r.flagged}/${r.cells.length} cells significant at q = 0.05` +
      (sig.length ? `; strongest: ${sig.slice(0, 3).map((c) => `${c.lat.toFixed(2)},${c.lng.toFixed(2)} value ${c.value.toFixed(2)} p ${c.p.toFixed(3)} q ${c.q.toFixed(3)}`).join('; ')}` : ''),
  );
}

const p90 = finite[Math.floor(0.9 * (finite.length - 1))]!;
const high = Array.from(values, (v) => v > p90);
for (const scheme of ['shuffle', 'circular-shift'] as const) {
const d = differenceSignificance(set, high, { res: 4, permutations: 999, seed: 1, minBin: 10, scheme, minShift: 8 });
const dsig = d.cells.filter((c) => c.significant).sort((a, b) => b.value - a.value);
console.log(
  `difference map (${scheme}), hours above the 90th percentile (${p90.toFixed(1)} µg/m³, ${d.nSubset} trajectories) vs all: ${d.flagged}/${d.cells.length} cells significant` +
    (dsig.length ? `; over-represented: ${dsig.filter((c) => c.value > 0).slice(0, 3).map((c) => `${c.lat.toFixed(2)},${c.lng.toFixed(2)} +${c.value.toFixed(1)} pp`).join('; ')}; under-represented: ${dsig.filter((c) => c.value < 0).length}` : ''),
);
}

// Clusters (clusterTrajectories, when the build has it) and PM2.5 per cluster.
const cluster = (attribution as Record<string, unknown>)['clusterTrajectories'] as undefined | ((s: typeof set, o: object) => { assignment: ArrayLike<number> });
if (cluster) {
  for (const k of [4]) {
    const c = cluster(set, { k, distance: 'euclid', algorithm: 'pam' });
    const s = clusterStatistics(set, c.assignment, pm, { threshold: 37.5 });
    console.log(`k = ${k} clusters (great-circle Euclid, PAM): PM2.5 per cluster`);
    // Where each cluster's air was 72 h earlier: mean of the trajectories' oldest points.
    const far = s.clusters.map(() => ({ lng: 0, lat: 0, n: 0 }));
    for (let t = 0; t < set.length; t++) {
      const i = set.offsets[t + 1]! - 1;
      const f = far[c.assignment[t]!]!;
      f.lng += set.lng[i]!;
      f.lat += set.lat[i]!;
      f.n++;
    }
    for (const x of s.clusters) {
      const f = far[x.cluster]!;
      console.log(`  cluster ${x.cluster}: ${x.n} traj (${x.percent.toFixed(1)} %), 72 h back at ${(f.lat / f.n).toFixed(2)} N ${(f.lng / f.n).toFixed(2)} E; PM2.5 (${x.matched} matched) mean ${x.mean.toFixed(1)}, p10/p50/p90 ${x.p10.toFixed(1)}/${x.p50.toFixed(1)}/${x.p90.toFixed(1)} µg/m³, above 37.5: ${(100 * x.aboveShare).toFixed(1)} %`);
    }
  }
} else console.log('clusterTrajectories not available in this tree; skipped per-cluster PM2.5');
