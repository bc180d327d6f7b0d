/**
 * Forecast-smoke reliability on the twin experiments (docs/forecast.md, "Reliability on the twins").
 *
 *   npm run bench:forecast                         # the five bench/scenarios twins, 800 particles/h
 *   npm run bench:forecast -- --pph 400 cross-border   # fewer particles / chosen scenarios
 *
 * For each twin (hazetrace/sim: a known true wind and a perturbed "forecast" wind, satellite detections of the true
 * fires, a Lagrangian dispersion run giving the true smoke of every source at every monitor hour) and each issue time
 * every 24 h from the scenario start + 48 h while the 48-h horizon fits: `forecastSmoke` from the detections of the
 * 24 h before the issue time on the PERTURBED wind (and, for comparison, on the true wind). The event verified is
 * "smoke of the fires detected in the window reaches the monitor": the true hourly contribution of those fires (the
 * dispersion's per-source contributions, every hour of the horizon) exceeds a threshold (1 and 5 µg/m³) in at least
 * one hour of the horizon. Scores per variant (radius, ensemble) and horizon: Brier score, the base-rate Brier
 * (climatology), the Brier skill score and a reliability table (forecast probability bins → observed frequency).
 * Writes bench/results/forecast.json (with os.loadavg()).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calibrateSeries, forecastSmoke, type ForecastOptions } from '../src/attribution/index.js';
import { setupTwin, type ScenarioConfig, type TwinSetup } from '../src/sim/index.js';
import { griddedWind } from '../src/wind/index.js';
import type { WindField } from '../src/core/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const H = 3_600_000;
const args = process.argv.slice(2);
let pph = 800;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--pph') pph = Number(args[++i]);
  else names.push(a);
}
const SCENARIOS = names.length ? names : ['cross-border', 'facility-plume', 'local-burning', 'night-burning', 'stagnation'];
const THRESHOLDS = [1, 5];
const HORIZONS = [24, 48];
const VARIANTS: { name: string; options: ForecastOptions; wind: 'perturbed' | 'true' }[] = [
  { name: 'default (offset, 20 km)', options: {}, wind: 'perturbed' },
  { name: 'offset, 10 km', options: { radiusKm: 10 }, wind: 'perturbed' },
  { name: 'offset, 40 km', options: { radiusKm: 40 }, wind: 'perturbed' },
  { name: 'random-walk 9, 20 km', options: { ensemble: 'random-walk' }, wind: 'perturbed' },
  { name: 'default on the TRUE wind', options: {}, wind: 'true' },
  // With the scales calibrated on the twin's own PM2.5 (calibrateSeries, perturbed wind): P(increment ≥ X).
  { name: 'P(increment ≥ 1 µg/m³), calibrated', options: { minIncrementUgm3: 1 }, wind: 'perturbed' },
  { name: 'P(increment ≥ 5 µg/m³), calibrated', options: { minIncrementUgm3: 5 }, wind: 'perturbed' },
];
const BINS = 10;

interface Pair {
  p: number;
  o: Record<number, 0 | 1>;
}

/** Truth per monitor: does the true smoke of the window's detected fires exceed each threshold in some hour of (t0, t0 + h]? */
function truthArrivals(s: TwinSetup, t0: number, h: number): Map<string, Record<number, 0 | 1>> {
  const { dispersion: d, observations: obs } = s;
  const fires = new Set<number>();
  for (let i = 0; i < obs.hotspots.length; i++) {
    const t = obs.hotspots.time[i]!;
    if (t > t0 - 24 * H && t <= t0) fires.add(obs.hotspotSource[i]!);
  }
  const hours = d.times.length;
  const out = new Map<string, Record<number, 0 | 1>>();
  d.monitors.forEach((id, m) => {
    let peak = 0;
    for (let k = 0; k < hours; k++) {
      // Hour k is the mean over (times[k], times[k] + 1 h]: inside the horizon when it starts at or after t0 and ends by t0 + h.
      const ts = d.times[k]!;
      if (ts < t0 || ts + H > t0 + h * H) continue;
      const map = d.contributions[m * hours + k];
      if (!map) continue;
      let c = 0;
      for (const [src, v] of map) if (fires.has(src)) c += v;
      if (c > peak) peak = c;
    }
    const rec: Record<number, 0 | 1> = {};
    for (const th of THRESHOLDS) rec[th] = peak >= th ? 1 : 0;
    out.set(id.toLowerCase(), rec);
  });
  return out;
}

function score(pairs: Pair[], th: number) {
  const n = pairs.length;
  let brier = 0;
  let base = 0;
  for (const q of pairs) base += q.o[th]!;
  base /= n || 1;
  let clim = 0;
  for (const q of pairs) {
    brier += (q.p - q.o[th]!) ** 2;
    clim += (base - q.o[th]!) ** 2;
  }
  brier /= n || 1;
  clim /= n || 1;
  const table: { bin: string; n: number; meanForecast: number | null; observed: number | null }[] = [];
  for (let b = 0; b < BINS; b++) {
    const lo = b / BINS;
    const hi = (b + 1) / BINS;
    const inBin = pairs.filter((q) => (b === BINS - 1 ? q.p >= lo : q.p >= lo && q.p < hi));
    const mf = inBin.length ? inBin.reduce((a, q) => a + q.p, 0) / inBin.length : null;
    const ob = inBin.length ? inBin.reduce((a, q) => a + q.o[th]!, 0) / inBin.length : null;
    table.push({ bin: `[${lo.toFixed(1)}, ${hi.toFixed(1)}${b === BINS - 1 ? ']' : ')'}`, n: inBin.length, meanForecast: mf === null ? null : round(mf), observed: ob === null ? null : round(ob) });
  }
  return { pairs: n, baseRate: round(base), brier: round(brier), brierClimatology: round(clim), brierSkill: clim > 0 ? round(1 - brier / clim) : null, reliability: table };
}
const round = (x: number): number => Math.round(x * 1e4) / 1e4;

const pairs: Record<string, Record<number, Pair[]>> = {};
for (const v of VARIANTS) pairs[v.name] = Object.fromEntries(HORIZONS.map((h) => [h, [] as Pair[]]));
const perScenario: Record<string, unknown>[] = [];
const t00 = performance.now();
for (const name of SCENARIOS) {
  const config = JSON.parse(readFileSync(join(here, 'scenarios', `${name}.json`), 'utf8')) as ScenarioConfig & { start: string; hours: number };
  let t = performance.now();
  const s = setupTwin(config, { particlesPerHour: pph });
  const setupMs = performance.now() - t;
  const winds: Record<'true' | 'perturbed', WindField> = { true: griddedWind(s.scenario.wind), perturbed: griddedWind(s.perturbedWind) };
  t = performance.now();
  const fit = calibrateSeries({ hotspots: s.observations.hotspots, series: s.observations.series, stations: s.observations.stations, wind: winds.perturbed }, { seed: 1 });
  const calibMs = performance.now() - t;
  const start = Date.parse(config.start);
  const issues: number[] = [];
  for (let t0 = start + 48 * H; t0 + 48 * H <= start + config.hours * H; t0 += 24 * H) issues.push(t0);
  t = performance.now();
  let forecasts = 0;
  const mine: Record<string, Record<number, Pair[]>> = Object.fromEntries(VARIANTS.map((v) => [v.name, Object.fromEntries(HORIZONS.map((h) => [h, [] as Pair[]]))]));
  for (const t0 of issues) {
    const truth = new Map(HORIZONS.map((h) => [h, truthArrivals(s, t0, h)]));
    for (const v of VARIANTS) {
      const f = forecastSmoke({ hotspots: s.observations.hotspots, wind: winds[v.wind], stations: s.observations.stations }, { ...v.options, ...(v.options.minIncrementUgm3 !== undefined ? { scales: fit } : {}), issueTime: t0, horizons: HORIZONS, cells: false });
      forecasts++;
      for (const st of f.stations) {
        for (const hz of st.horizons) {
          const o = truth.get(hz.hours)!.get(st.station.toLowerCase());
          if (!o || hz.probability === null) continue;
          pairs[v.name]![hz.hours]!.push({ p: hz.probability, o });
          mine[v.name]![hz.hours]!.push({ p: hz.probability, o });
        }
      }
    }
  }
  const forecastMs = performance.now() - t;
  perScenario.push({ name, seed: config.seed, issues: issues.length, monitors: s.observations.stations.length, detections: s.observations.hotspots.length, setupMs: Math.round(setupMs), calibration: { mode: fit.mode, fireScale: fit.scales['fire_other'] ?? null, r2: fit.r2, ms: Math.round(calibMs), ...(fit.fallback ? { fallback: fit.fallback } : {}) }, brier: Object.fromEntries(VARIANTS.map((v) => [v.name, Object.fromEntries(HORIZONS.flatMap((h) => THRESHOLDS.map((th) => { const x = score(mine[v.name]![h]!, th); return [`${h}h_${th}ugm3`, { base: x.baseRate, brier: x.brier, clim: x.brierClimatology, bss: x.brierSkill }]; })))])), forecastMs: Math.round(forecastMs), msPerForecast: Math.round(forecastMs / Math.max(1, forecasts)) });
  console.error(`${name}: ${issues.length} issue times, ${s.observations.stations.length} monitors, setup ${(setupMs / 1000).toFixed(1)} s, calibration ${fit.mode} fire ${fit.scales['fire_other']?.toFixed(1)} (${(calibMs / 1000).toFixed(1)} s), forecasts ${(forecastMs / 1000).toFixed(1)} s`);
}

const results: Record<string, unknown> = {};
for (const v of VARIANTS) {
  const r: Record<string, unknown> = {};
  for (const h of HORIZONS) for (const th of THRESHOLDS) r[`${h}h_${th}ugm3`] = score(pairs[v.name]![h]!, th);
  results[v.name] = r;
}
const out = {
  command: `npm run bench:forecast${args.length ? ' -- ' + args.join(' ') : ''}`,
  particlesPerHour: pph,
  scenarios: perScenario,
  event: 'true hourly contribution of the fires detected in the 24 h before the issue time ≥ threshold at the monitor in some hour of the horizon',
  thresholdsUgm3: THRESHOLDS,
  horizons: HORIZONS,
  variants: results,
  totalMs: Math.round(performance.now() - t00),
  loadavg: loadavg(),
  node: process.version,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'forecast.json'), JSON.stringify(out, null, 2) + '\n');

// Short table on stdout.
for (const v of VARIANTS) {
  const r = results[v.name] as Record<string, ReturnType<typeof score>>;
  console.log(v.name);
  for (const k of Object.keys(r)) {
    const x = r[k]!;
    console.log(`  ${k.padEnd(10)} n ${x.pairs}  base ${x.baseRate.toFixed(3)}  Brier ${x.brier.toFixed(4)}  clim ${x.brierClimatology.toFixed(4)}  BSS ${x.brierSkill === null ? '-' : x.brierSkill.toFixed(3)}  ` + x.reliability.filter((b) => b.n > 0).map((b) => `${b.bin}:${b.n}→${b.observed?.toFixed(2)}`).join(' '));
  }
}
console.log(`wrote ${resolve(dir, 'forecast.json')}`);
