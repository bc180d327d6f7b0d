/**
 * The trajectory-cluster report: a map of the cluster mean paths labelled with their share of trajectories, the
 * PM2.5 distribution per cluster as box plots, the HYSPLIT total-spatial-variance curve with the suggested k, and
 * (when given) the tested difference map of polluted trajectories with its significant cells outlined. Pure
 * functions from library results to HTML/SVG text: no Node builtins, no network, no scripts.
 */
import { argError } from '../core/errors.js';
import { quantile } from '../core/stats.js';
import type { ClusterResult } from '../attribution/cluster.js';
import type { ClusterStatistics } from '../attribution/clusterstats.js';
import { suggestK } from '../attribution/cluster.js';
import type { DifferenceSignificance } from '../attribution/significance.js';
import { significanceToGeoJson } from '../attribution/significance.js';

/** What {@link clusterSectionHtml} and {@link clusterReportHtml} draw. */
export interface ClusterReportInput {
  /** `clusterTrajectories(...)`'s result. */
  result: Pick<ClusterResult, 'k' | 'assignment' | 'size' | 'percent' | 'meanPaths' | 'tsv' | 'distance' | 'algorithm' | 'kept' | 'dropped'>;
  /** `clusterStatistics(...)` over the same assignment (PM2.5 per cluster); optional. */
  statistics?: ClusterStatistics;
  /** `differenceSignificance(...)` of polluted vs all trajectories; its significant cells are outlined. */
  difference?: DifferenceSignificance;
  /** Background outlines (e.g. countries) as a GeoJSON FeatureCollection of (Multi)Polygons; optional. */
  outlines?: { features: readonly { geometry?: unknown }[] };
  /** Heading, default 'Transport pathways'. */
  title?: string;
  /** Name of the concentration, default 'PM2.5 (µg/m³)'. */
  valueLabel?: string;
}

const COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#1f78b4', '#b15928', '#6a3d9a'];
const colour = (c: number): string => COLOURS[c % COLOURS.length]!;

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const fmt = (v: number, d = 1): string => (Number.isFinite(v) ? v.toFixed(d) : '–');

interface Proj {
  x(lng: number): number;
  y(lat: number): number;
}

function projection(bounds: [number, number, number, number], w: number, h: number, pad: number): Proj {
  const [x0, y0, x1, y1] = bounds;
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const sx = (w - 2 * pad) / Math.max(1e-9, (x1 - x0) * k);
  const sy = (h - 2 * pad) / Math.max(1e-9, y1 - y0);
  const s = Math.min(sx, sy);
  const ox = (w - s * (x1 - x0) * k) / 2;
  const oy = (h - s * (y1 - y0)) / 2;
  return { x: (lng) => ox + s * (lng - x0) * k, y: (lat) => h - oy - s * (lat - y0) };
}

function ringsOf(geometry: unknown): number[][][] {
  const g = geometry as { type?: string; coordinates?: unknown } | null | undefined;
  if (!g || typeof g !== 'object') return [];
  if (g.type === 'Polygon') return g.coordinates as number[][][];
  if (g.type === 'MultiPolygon') return (g.coordinates as number[][][][]).flat();
  return [];
}

function pathD(p: Proj, pts: readonly (readonly number[])[]): string {
  return pts.map((q, i) => `${i ? 'L' : 'M'}${p.x(q[0]!).toFixed(1)},${p.y(q[1]!).toFixed(1)}`).join('');
}

function mapSvg(input: ClusterReportInput): string {
  const { result } = input;
  const W = 640;
  const H = 480;
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const grow = (lng: number, lat: number): void => {
    b = [Math.min(b[0], lng), Math.min(b[1], lat), Math.max(b[2], lng), Math.max(b[3], lat)];
  };
  for (const m of result.meanPaths) for (let i = 0; i < m.lng.length; i++) grow(m.lng[i]!, m.lat[i]!);
  const cells = input.difference ? significanceToGeoJson(input.difference).features : [];
  for (const f of cells) for (const r of ringsOf(f.geometry)) for (const q of r) grow(q[0]!, q[1]!);
  if (!Number.isFinite(b[0])) return '<p>No cluster paths to draw.</p>';
  const padDeg = 0.05 * Math.max(b[2] - b[0], b[3] - b[1], 0.5);
  b = [b[0] - padDeg, b[1] - padDeg, b[2] + padDeg, b[3] + padDeg];
  const p = projection(b, W, H, 12);
  const parts: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="cluster mean paths" class="map">`, `<rect width="${W}" height="${H}" fill="#f4f7fb"/>`];
  for (const f of input.outlines?.features ?? []) {
    for (const r of ringsOf(f.geometry)) parts.push(`<path d="${pathD(p, r)}Z" fill="#fff" stroke="#9aa5b1" stroke-width="0.8"/>`);
  }
  if (cells.length) {
    let maxAbs = 0;
    for (const f of cells) maxAbs = Math.max(maxAbs, Math.abs(Number(f.properties?.['value'] ?? 0)));
    for (const f of cells) {
      const v = Number(f.properties?.['value'] ?? 0);
      const a = maxAbs > 0 ? Math.min(1, Math.abs(v) / maxAbs) : 0;
      const fill = v >= 0 ? `rgba(215,48,39,${(0.15 + 0.6 * a).toFixed(2)})` : `rgba(69,117,180,${(0.15 + 0.6 * a).toFixed(2)})`;
      const sig = f.properties?.['significant'] === true;
      for (const r of ringsOf(f.geometry)) {
        parts.push(`<path d="${pathD(p, r)}Z" fill="${fill}" stroke="${sig ? '#111' : 'none'}" stroke-width="${sig ? 1.6 : 0}"><title>${esc(`difference ${fmt(100 * v, 1)} points${sig ? ', significant' : ''} (q = ${fmt(Number(f.properties?.['q']), 3)})`)}</title></path>`);
      }
    }
  }
  result.meanPaths.forEach((m, c) => {
    const pts = Array.from(m.lng, (x, i) => [x, m.lat[i]!]);
    const width = 1.5 + 6 * ((result.percent[c] ?? 0) / 100);
    parts.push(`<path d="${pathD(p, pts)}" fill="none" stroke="${colour(c)}" stroke-width="${width.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`);
    const end = pts[pts.length - 1];
    if (end) {
      const label = `C${c + 1} ${fmt(result.percent[c] ?? NaN, 1)} %`;
      parts.push(`<text x="${p.x(end[0]!).toFixed(1)}" y="${(p.y(end[1]!) - 6).toFixed(1)}" class="lab" fill="${colour(c)}" text-anchor="middle">${esc(label)}</text>`);
    }
  });
  const r0 = result.meanPaths[0];
  if (r0 && r0.lng.length) parts.push(`<circle cx="${p.x(r0.lng[0]!).toFixed(1)}" cy="${p.y(r0.lat[0]!).toFixed(1)}" r="5" fill="#111"><title>receptor</title></circle>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Per-cluster p10/p25/p50/p75/p90 and mean of the joined concentrations. */
function boxes(input: ClusterReportInput): { c: number; q: number[]; mean: number; n: number }[] {
  const s = input.statistics;
  if (!s) return [];
  const byCluster: number[][] = Array.from({ length: input.result.k }, () => []);
  for (let t = 0; t < s.values.length; t++) {
    const c = input.result.assignment[t]!;
    const v = s.values[t]!;
    if (c >= 0 && c < byCluster.length && Number.isFinite(v)) byCluster[c]!.push(v);
  }
  return byCluster.map((vs, c) => ({
    c,
    q: [0.1, 0.25, 0.5, 0.75, 0.9].map((pr) => (vs.length ? quantile(vs, pr) : NaN)),
    mean: vs.length ? vs.reduce((a, v) => a + v, 0) / vs.length : NaN,
    n: vs.length,
  }));
}

function boxSvg(input: ClusterReportInput): string {
  const bx = boxes(input);
  if (!bx.some((b) => b.n > 0)) return '';
  const W = 640;
  const H = 260;
  const L = 48;
  const B = 30;
  const top = Math.max(input.statistics!.threshold * 1.1, ...bx.map((b) => (Number.isFinite(b.q[4]!) ? b.q[4]! : 0))) * 1.08;
  const y = (v: number): number => H - B - ((H - B - 10) * v) / top;
  const slot = (W - L - 10) / bx.length;
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="concentration per cluster" class="chart">`];
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    parts.push(`<line x1="${L}" x2="${W - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e7ec"/><text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="ax">${fmt(v, 0)}</text>`);
  }
  const thr = input.statistics!.threshold;
  parts.push(`<line x1="${L}" x2="${W - 10}" y1="${y(thr).toFixed(1)}" y2="${y(thr).toFixed(1)}" stroke="#c0392b" stroke-dasharray="5 4"/><text x="${W - 12}" y="${(y(thr) - 4).toFixed(1)}" text-anchor="end" class="ax" fill="#c0392b">${esc(`threshold ${fmt(thr, 1)}`)}</text>`);
  bx.forEach((b, i) => {
    const cx = L + slot * (i + 0.5);
    const hw = Math.min(28, slot * 0.3);
    parts.push(`<text x="${cx.toFixed(1)}" y="${H - 10}" text-anchor="middle" class="ax">${esc(`C${b.c + 1} (n=${b.n})`)}</text>`);
    if (!b.n) return;
    const [p10, p25, p50, p75, p90] = b.q as [number, number, number, number, number];
    parts.push(
      `<g stroke="${colour(b.c)}" stroke-width="1.5"><title>${esc(`cluster ${b.c + 1}: p10 ${fmt(p10)}, p25 ${fmt(p25)}, median ${fmt(p50)}, p75 ${fmt(p75)}, p90 ${fmt(p90)}, mean ${fmt(b.mean)} (${b.n} trajectories)`)}</title>` +
        `<line x1="${cx}" x2="${cx}" y1="${y(p90).toFixed(1)}" y2="${y(p75).toFixed(1)}"/><line x1="${cx}" x2="${cx}" y1="${y(p25).toFixed(1)}" y2="${y(p10).toFixed(1)}"/>` +
        `<rect x="${(cx - hw).toFixed(1)}" width="${(2 * hw).toFixed(1)}" y="${y(p75).toFixed(1)}" height="${Math.max(1, y(p25) - y(p75)).toFixed(1)}" fill="${colour(b.c)}" fill-opacity="0.25"/>` +
        `<line x1="${(cx - hw).toFixed(1)}" x2="${(cx + hw).toFixed(1)}" y1="${y(p50).toFixed(1)}" y2="${y(p50).toFixed(1)}" stroke-width="2.5"/>` +
        `<circle cx="${cx}" cy="${y(b.mean).toFixed(1)}" r="3" fill="#fff"/></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function tsvSvg(tsv: readonly number[]): string {
  if (tsv.length < 2) return '';
  const W = 640;
  const H = 220;
  const L = 64;
  const B = 30;
  const top = Math.max(...tsv) * 1.05 || 1;
  const x = (k: number): number => L + ((W - L - 16) * (k - 1)) / (tsv.length - 1);
  const y = (v: number): number => H - B - ((H - B - 10) * v) / top;
  const kStar = suggestK(tsv);
  const d = tsv.map((v, i) => `${i ? 'L' : 'M'}${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="total spatial variance by number of clusters" class="chart">`];
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    parts.push(`<line x1="${L}" x2="${W - 16}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e7ec"/><text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="ax">${v >= 1e4 ? `${fmt(v / 1e3, 0)}k` : fmt(v, 0)}</text>`);
  }
  parts.push(`<path d="${d}" fill="none" stroke="#34495e" stroke-width="1.8"/>`);
  tsv.forEach((v, i) => {
    const k = i + 1;
    const hit = k === kStar;
    parts.push(`<circle cx="${x(k).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${hit ? 5 : 2.5}" fill="${hit ? '#c0392b' : '#34495e'}"><title>${esc(`k = ${k}: TSV ${fmt(v, 0)} km²`)}</title></circle>`);
    if (k === 1 || k === tsv.length || k % 5 === 0 || hit) parts.push(`<text x="${x(k).toFixed(1)}" y="${H - 10}" text-anchor="middle" class="ax">${k}</text>`);
  });
  parts.push(`<text x="${(x(kStar) + 8).toFixed(1)}" y="${(y(tsv[kStar - 1]!) - 8).toFixed(1)}" class="ax" fill="#c0392b">${esc(`suggested k = ${kStar}`)}</text>`);
  parts.push(`<text x="12" y="14" class="ax">TSV (km²)</text><text x="${L - 6}" y="${H - 10}" text-anchor="end" class="ax">k</text></svg>`);
  return parts.join('');
}

function table(input: ClusterReportInput): string {
  const { result, statistics: s } = input;
  const head = ['cluster', 'trajectories', '%', ...(s ? ['with a value', 'mean', 'median', `share above ${fmt(s.threshold, 1)}`] : [])];
  const rows = result.size.map((n, c) => {
    const st = s?.clusters[c];
    const cells = [`<span class="sw" style="background:${colour(c)}"></span>C${c + 1}`, String(n), fmt(result.percent[c] ?? NaN, 1)];
    if (s) cells.push(String(st?.matched ?? 0), fmt(st?.mean ?? NaN), fmt(st?.p50 ?? NaN), st ? `${fmt(100 * st.aboveShare, 0)} %` : '–');
    return `<tr>${cells.map((v) => `<td>${v}</td>`).join('')}</tr>`;
  });
  return `<div class="scroll"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * The cluster section as an HTML fragment (`<section>…</section>`) with inline SVG: the map of cluster mean paths
 * (line width and label give each cluster's % of trajectories; with `difference`, cells are shaded by the
 * polluted-minus-all difference and significant cells are outlined), the per-cluster box plots of the joined
 * concentration (box p25–p75, whiskers p10–p90, bar the median, dot the mean, dashed line the threshold), the TSV
 * curve with the suggested k (HYSPLIT algorithm only) and a table. Everything shown comes from the inputs.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { clusterTrajectories } from 'hazetrace/attribution';
 * import { clusterSectionHtml } from 'hazetrace/report';
 * const starts = Array.from({ length: 6 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 1 }), starts, { hours: 12 });
 * const html = clusterSectionHtml({ result: clusterTrajectories(set, { k: 2 }) });
 * html.startsWith('<section'); // true
 * ```
 */
export function clusterSectionHtml(input: ClusterReportInput): string {
  if (!input || typeof input !== 'object' || !input.result || !Array.isArray(input.result.meanPaths)) throw argError('input.result', input?.result, "clusterTrajectories(...)'s result");
  const { result } = input;
  const valueLabel = input.valueLabel ?? 'PM2.5 (µg/m³)';
  const d = input.difference;
  const parts = [
    `<section class="clusters"><h2>${esc(input.title ?? 'Transport pathways')}</h2>`,
    `<p>${result.kept.length} trajectories in ${result.k} clusters (${esc(result.algorithm)}, distance ${esc(result.distance)})${result.dropped.length ? `; ${result.dropped.length} left out for their length` : ''}. Line width and label: share of trajectories.</p>`,
    mapSvg(input),
  ];
  if (d) {
    parts.push(
      `<p class="note">Shading: how much more (red) or less (blue) often the ${d.nSubset} polluted trajectories passed over a cell than all ${d.nAll} (${esc(d.basis)} basis). ` +
        `Outlined: significant at FDR q = ${d.q} by a ${d.permutations}-permutation test (${esc(d.scheme)}, seed ${d.seed}): ${d.flagged} of ${d.cells.length} cells.</p>`,
    );
  }
  const box = boxSvg(input);
  if (box) parts.push(`<h3>${esc(valueLabel)} per cluster</h3>`, box);
  if (result.tsv && result.tsv.length > 1) parts.push('<h3>Total spatial variance by number of clusters</h3>', tsvSvg(result.tsv), `<p class="note">The HYSPLIT rule suggests the k before the largest jump in TSV when clusters are merged further.</p>`);
  parts.push(table(input), '</section>');
  return parts.join('\n');
}

/**
 * A whole offline HTML page holding {@link clusterSectionHtml} with its styles (no scripts, no network requests),
 * as `hazetrace cluster --out DIR` writes to `cluster_report.html`.
 *
 * @example
 * ```ts
 * import { uniformWind, traceTrajectories } from 'hazetrace/wind';
 * import { clusterTrajectories } from 'hazetrace/attribution';
 * import { clusterReportHtml } from 'hazetrace/report';
 * const starts = Array.from({ length: 4 }, (_, i) => ({ lng: 99, lat: 18.8, time: i * 3600e3 }));
 * const set = traceTrajectories(uniformWind({ u: 5, v: 1 }), starts, { hours: 6 });
 * clusterReportHtml({ result: clusterTrajectories(set, { k: 2 }) }).startsWith('<!doctype html>'); // true
 * ```
 */
export function clusterReportHtml(input: ClusterReportInput): string {
  const body = clusterSectionHtml(input);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(input.title ?? 'Transport pathways')} — hazetrace</title>`,
    '<style>body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:12px;color:#1f2933}',
    '.lab{font:bold 13px system-ui,sans-serif;paint-order:stroke;stroke:#fff;stroke-width:3px}.ax{font:11px system-ui,sans-serif;fill:#52606d}',
    '.note{color:#52606d;font-size:13px}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #e3e7ec;text-align:right}',
    'td:first-child,th:first-child{text-align:left}.sw{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}svg{max-width:100%;height:auto}</style></head><body>',
    body,
    '</body></html>',
  ].join('\n');
}
