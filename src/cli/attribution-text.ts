/** Human-readable lines about an attribution run, shared by `hazetrace attribute` and `hazetrace demo`. */
import { poolCrossBorder, poolShares, type SeriesAttribution } from '../attribution/index.js';
import { describeRejected, type InputNote } from './inputs.js';

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

/** One line per episode for people: station, window, peak, top categories and regions, or why it is not attributed. */
export function episodeLines(r: SeriesAttribution): string[] {
  return r.episodes.map((e) => {
    const ep = e.episode;
    const head = `${ep.station}  ${new Date(ep.start).toISOString().slice(0, 16)}Z .. ${new Date(ep.end).toISOString().slice(0, 16)}Z  peak ${ep.peakValue.toFixed(1)} µg/m³`;
    if (e.status !== 'attributed') return `${head}  (${e.status}: ${e.reason ?? ''})`;
    const top = (rec: Record<string, { share: number; low: number; high: number }>): string =>
      Object.entries(rec)
        .sort((a, b) => b[1].share - a[1].share)
        .slice(0, 3)
        .map(([k, b]) => `${k} ${pct(b.share)} [${pct(b.low)}–${pct(b.high)}]`)
        .join(', ');
    return `${head}\n    by category: ${top(e.sharesByCategory)}\n    by region:   ${top(e.sharesByRegion)}`;
  });
}

/** The human summary of a run: inputs, calibration, episodes, pooled shares, grouped warnings. */
export function summaryLines(r: SeriesAttribution, notes: InputNote[], windNote: string, episodeLimit = Infinity): string[] {
  const attributed = r.episodes.filter((e) => e.status === 'attributed').length;
  const c = r.calibration;
  const scales = Object.entries(c.scales)
    .map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`)
    .join(', ');
  const calib =
    c.mode === 'calibrated'
      ? `calibrated on ${c.rows} observations (R² ${c.r2?.toFixed(2)}, background ${c.background?.toFixed(1)} µg/m³): ${scales}`
      : c.mode === 'given'
        ? `scales given: ${scales}`
        : `default scales (${c.fallback ?? 'not calibrated'})${scales ? `: ${scales}` : ''}`;
  const lines = [
    `${r.episodes.length} episode(s) at ${new Set(r.episodes.map((e) => e.episode.station)).size} station(s): ${attributed} attributed, ${r.episodes.length - attributed} not; ${r.inputs.sources} source rows`,
    `wind: ${windNote}; ensemble: ${r.settings.ensemble} (${r.settings.ensembleReason})`,
    `hotspot file covers ${r.inputs.hotspotDays}`,
    `category scales: ${calib}`,
    ...(r.inputs.missing.length ? [`not given: ${r.inputs.missing.join(', ')}`] : []),
    ...notes.map((n) => '  input ' + describeRejected(n)),
    '',
    ...episodeLines(r).slice(0, episodeLimit),
  ];
  if (r.episodes.length > episodeLimit) lines.push(`  … ${r.episodes.length - episodeLimit} more episode(s) (see --out or --json)`);
  const cat = poolShares(r, 'category');
  if (cat.length) lines.push('', `all attributed episodes (peak-weighted): ${cat.map((s) => `${s.key} ${pct(s.share)}`).join(', ')}`);
  const cb = poolCrossBorder(r);
  if (Number.isFinite(cb)) lines.push(`cross-border share (outside ${r.settings.domestic}): ${pct(cb)}`);
  if (r.warnings.length) lines.push('', 'warnings:', ...r.warnings.map((g) => `  ${g.count}× ${g.kind}: ${g.first}`));
  return lines;
}

