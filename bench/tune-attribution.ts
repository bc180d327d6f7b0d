/**
 * Pipeline options on the twin experiments, through the same user path as bench:skill (export → files →
 * attributeSeries, scored from its outputs): each variant's mean skill over scenarios and seeds, so a default is
 * chosen on evidence. Writes bench/results/tune-attribution.json and prints a table.
 *
 *   npm run bench:tune-attribution                          # every bench/scenarios/*.json, 1 seed, 800 particles/h
 *   npm run bench:tune-attribution -- --seeds 2 --pph 1500  # more seeds / particles
 *   npm run bench:tune-attribution -- --variants '[{"name":"x","options":{"detectionSigma":0.5}}]'
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { attributeTwinFiles, exportScenarioFiles, scoreUserOutputs, setupTwin, type ScenarioConfig } from '../src/sim/index.js';
import type { AttributeSeriesOptions } from '../src/attribution/index.js';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
let seeds = 1;
let pph = 800;
let variantsArg: string | undefined;
let variants: { name: string; options: AttributeSeriesOptions }[] = [
  { name: 'defaults', options: {} },
  { name: 'unseen-burning', options: { unseenBurning: true } },
  { name: 'detection-sigma-0.2', options: { detectionSigma: 0.2 } },
  { name: 'detection-sigma-0.6', options: { detectionSigma: 0.6 } },
  { name: 'no-calibrate', options: { calibrate: false } },
];
const only: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === '--seeds') seeds = Math.max(1, Number(args[++i]));
  else if (a === '--pph') pph = Math.max(100, Number(args[++i]));
  else if (a === '--variants') variants = JSON.parse((variantsArg = args[++i] as string));
  else only.push(a);
}
const dir = join(root, 'bench', 'scenarios');
const configs = only.length ? only : readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
const METRICS = ['categoryShareMaePp', 'crossBorderMaePp', 'fireVsFacilityMaePp', 'repeatBurnShareMaePp', 'spearman', 'bandCoverage80'] as const;
type Row = Record<(typeof METRICS)[number], number>;
const results: { scenario: string; seed: number; variant: string; metrics: Row }[] = [];
const t0 = performance.now();
for (const path of configs) {
  const base = JSON.parse(readFileSync(path, 'utf8')) as ScenarioConfig;
  for (let k = 0; k < seeds; k++) {
    const setup = setupTwin({ ...base, seed: (base.seed ?? 1) + k }, { particlesPerHour: pph });
    const files = exportScenarioFiles({ scenario: setup.scenario, dispersion: setup.dispersion, observations: setup.observations, perturbedWind: setup.perturbedWind });
    for (const v of variants) {
      const r = await attributeTwinFiles(files, v.options);
      const scored = scoreUserOutputs(setup, files, { contract: JSON.parse(JSON.stringify(r.contract())), full: JSON.parse(JSON.stringify(r)) });
      const m = Object.fromEntries(METRICS.map((k) => [k, (scored.skill as unknown as Record<string, number>)[k] ?? NaN])) as Row;
      results.push({ scenario: setup.scenario.config.name, seed: setup.scenario.config.seed, variant: v.name, metrics: m });
      console.log(`${setup.scenario.config.name.padEnd(15)} ${String(setup.scenario.config.seed).padStart(4)} ${v.name.padEnd(22)} ${METRICS.map((k) => `${k.replace(/MaePp|Coverage80/, '')} ${Number.isFinite(m[k]) ? m[k].toFixed(2) : 'n/a'}`).join('  ')}`);
    }
  }
}
const mean = (xs: number[]): number => {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
};
const summary = variants.map((v) => ({
  variant: v.name,
  options: v.options,
  ...Object.fromEntries(METRICS.map((k) => [k, mean(results.filter((r) => r.variant === v.name).map((r) => r.metrics[k]))])),
}));
console.log('\nmeans over scenarios and seeds:');
for (const s of summary) console.log(`${s.variant.padEnd(22)} ${METRICS.map((k) => `${k} ${Number((s as Record<string, unknown>)[k]).toFixed(2)}`).join('  ')}`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'tune-attribution.json'),
  JSON.stringify({ command: `npm run bench:tune-attribution -- --seeds ${seeds} --pph ${pph}${variantsArg ? ` --variants '${variantsArg}'` : ''}${only.length ? ` ${only.join(' ')}` : ''}`, seeds, particlesPerHour: pph, wallSeconds: Math.round((performance.now() - t0) / 1000), summary, results }, null, 1) + '\n',
);
