/**
 * Render a {@link ReportModel} as ONE self-contained HTML file: inline CSS, the basemap and hexagons as
 * inline SVG projected here (d3-geo Mercator, h3-js cell outlines), and a small inline script (no
 * library) for pan/zoom through the SVG viewBox, hover tooltips, the episode picker, the hour slider,
 * layer toggles and label collision avoidance. No CDN, no fonts, no network: it must open from a USB
 * stick in a war room with no internet. Browser-safe.
 */
import { geoMercator, type GeoProjection } from 'd3-geo';
import { cellToBoundary, cellToParent, getResolution } from 'h3-js';
import { HazetraceError } from '../core/index.js';
import type { ReportFeatureCollection, ReportModel, ReportShare } from './model.js';
import { formatNumber, formatPercent, humanLabel, localClock, reportWords, type LocalClock, type ReportLang, type ReportWords } from './i18n.js';
import { REPORT_CLIENT_SCRIPT } from './client.js';
import { checkObject, checkOptions } from '../core/check.js';

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** Language of every label and sentence: 'en' (default) or 'th'. */
  lang?: ReportLang;
  /** UTC offset of the times people read, e.g. '+07:00' (default) or minutes east of UTC. */
  utcOffset?: string | number;
  /** Lowest number of hours a CPF bin needs to be drawn (default {@link CPF_MIN_HOURS}). */
  cpfMinHours?: number;
}

/**
 * A CPF bin with fewer hours than this is not drawn: with 1–3 hours, P is 0 or 1 by chance and the
 * darkest wedges would be the least certain ones.
 *
 * @example
 * ```ts
 * import { CPF_MIN_HOURS } from 'hazetrace/report';
 * CPF_MIN_HOURS; // 5
 * ```
 */
export const CPF_MIN_HOURS = 5;

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();
/** JSON safe to put inside <script>. */
const jsonScript = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Source category colours (readable on white, distinct for colour-blind readers in hue and lightness). */
const CATEGORY_COLORS: Record<string, string> = {
  fire_repeat_burn: '#b2182b',
  fire_other: '#f4a582',
  facility: '#5e3c99',
  report: '#2166ac',
  area: '#1b7837',
};
const categoryColor = (c: string): string => CATEGORY_COLORS[c] ?? '#7f8c8d';
const REGION_COLORS: Record<string, string> = { THA: '#2166ac', MMR: '#d6604d', LAO: '#1b7837', CHN: '#762a83', VNM: '#e08214', KHM: '#8c510a', unknown: '#969696' };
const regionColor = (c: string): string => REGION_COLORS[c] ?? '#7f8c8d';

function ramp(stops: readonly string[], t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const a = stops[i] as string;
  const b = stops[i + 1] as string;
  const u = x - i;
  const ch = (s: string, k: number): number => parseInt(s.slice(1 + 2 * k, 3 + 2 * k), 16);
  const mix = (k: number): string => Math.round(ch(a, k) + (ch(b, k) - ch(a, k)) * u).toString(16).padStart(2, '0');
  return `#${mix(0)}${mix(1)}${mix(2)}`;
}
const YLORRD = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const PURPLES = ['#efedf5', '#bcbddc', '#9e9ac8', '#756bb1', '#54278f', '#3f007d'];
const BLUES = ['#eff3ff', '#bdd7e7', '#6baed6', '#2171b5', '#08306b'];

// ---------------------------------------------------------------- geometry

/** Map canvas in SVG user units (the viewBox at zoom 1). */
const MAP_W = 1000;
const MAP_H = 820;

function makeProjection(bbox: readonly [number, number, number, number]): GeoProjection {
  const [x0, y0, x1, y1] = bbox;
  // Fit on the corners as points: fitting on polygons would depend on ring winding (d3-geo is spherical).
  return geoMercator().fitExtent(
    [
      [0, 0],
      [MAP_W, MAP_H],
    ],
    { type: 'MultiPoint', coordinates: [[x0, y0], [x1, y1], [x0, y1], [x1, y0]] },
  );
}

function ringPath(proj: GeoProjection, ring: readonly (readonly number[])[], close: boolean): string {
  let d = '';
  let last = '';
  for (const p of ring) {
    const xy = proj([p[0] as number, p[1] as number]);
    if (!xy) continue;
    const pt = `${f1(xy[0])},${f1(xy[1])}`;
    if (pt === last) continue;
    d += `${d === '' ? 'M' : 'L'}${pt}`;
    last = pt;
  }
  return d === '' ? '' : d + (close ? 'Z' : '');
}

function geometryPath(proj: GeoProjection, g: { type: string; coordinates: unknown } | null): string {
  if (!g) return '';
  const c = g.coordinates;
  switch (g.type) {
    case 'Polygon':
      return (c as number[][][]).map((r) => ringPath(proj, r, true)).join('');
    case 'MultiPolygon':
      return (c as number[][][][]).map((poly) => poly.map((r) => ringPath(proj, r, true)).join('')).join('');
    case 'LineString':
      return ringPath(proj, c as number[][], false);
    case 'MultiLineString':
      return (c as number[][][]).map((r) => ringPath(proj, r, false)).join('');
    default:
      return '';
  }
}

/** Label point of a (multi)polygon: area-weighted centroid of its largest ring (planar, fine at these sizes). */
function labelPoint(g: { type: string; coordinates: unknown } | null): [number, number] | null {
  if (!g) return null;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
  let best: [number, number] | null = null;
  let bestA = 0;
  for (const poly of polys) {
    const ring = poly[0];
    if (!ring || ring.length < 3) continue;
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const p = ring[i] as number[];
      const q = ring[j] as number[];
      const cr = (q[0] as number) * (p[1] as number) - (p[0] as number) * (q[1] as number);
      a += cr;
      cx += ((q[0] as number) + (p[0] as number)) * cr;
      cy += ((q[1] as number) + (p[1] as number)) * cr;
    }
    if (Math.abs(a) > bestA && a !== 0) {
      bestA = Math.abs(a);
      best = [cx / (3 * a), cy / (3 * a)];
    }
  }
  return best;
}

function inBox(bbox: readonly number[], lng: number, lat: number, pad = 0): boolean {
  return lng >= (bbox[0] as number) - pad && lng <= (bbox[2] as number) + pad && lat >= (bbox[1] as number) - pad && lat <= (bbox[3] as number) + pad;
}

/** Features whose bounding box meets the map box (the rest would only add bytes). */
function visibleFeatures(fc: ReportFeatureCollection | undefined, bbox: readonly number[]): ReportFeatureCollection['features'] {
  if (!fc) return [];
  return fc.features.filter((f) => {
    let hit = false;
    const walk = (c: unknown): void => {
      if (hit || !Array.isArray(c)) return;
      if (typeof c[0] === 'number') {
        if (inBox(bbox, c[0] as number, c[1] as number, 0.5)) hit = true;
        return;
      }
      for (const x of c) walk(x);
    };
    walk(f.geometry?.coordinates);
    return hit;
  });
}

// ---------------------------------------------------------------- map

interface Ctx {
  m: ReportModel;
  w: ReportWords;
  lang: ReportLang;
  clock: LocalClock;
  proj: GeoProjection;
}

const name = (c: Ctx, en: string, th: string | undefined): string => (c.lang === 'th' && th ? th : en);
const stationLabel = (c: Ctx, id: string): string => {
  const s = c.m.stations.find((x) => x.id === id);
  return s ? `${id} ${name(c, s.name, s.nameTh)}` : id;
};
const shareLabel = (c: Ctx, kind: 'category' | 'country', key: string): string => humanLabel(kind, key, c.lang);

function renderMap(c: Ctx): { svg: string; data: unknown } {
  const { m, w, proj } = c;
  const P = (lng: number, lat: number): [number, number] => {
    const xy = proj([lng, lat]) as [number, number];
    return [Math.round(xy[0] * 10) / 10, Math.round(xy[1] * 10) / 10];
  };
  const parts: string[] = [];
  parts.push(`<rect x="-5000" y="-5000" width="${MAP_W + 10000}" height="${MAP_H + 10000}" class="sea"/>`);
  const countries = visibleFeatures(m.basemap.countries, m.bbox);
  parts.push(
    `<g id="layer-countries">${countries
      .map((f) => `<path class="country${f.properties?.['iso_a3'] === 'THA' ? ' home' : ''}" d="${geometryPath(proj, f.geometry)}"/>`)
      .join('')}</g>`,
  );
  const labels: string[] = [];
  /** Name labels of a polygon layer (English or Thai), at each feature's label point inside the map box. */
  const areaLabels = (features: ReportFeatureCollection['features'], names: { en: string; th?: string }, cls: string, priority: number): void => {
    for (const f of features) {
      const lp = labelPoint(f.geometry);
      const en = f.properties?.[names.en];
      if (!lp || typeof en !== 'string' || !inBox(m.bbox, lp[0], lp[1])) continue;
      const th = names.th ? f.properties?.[names.th] : undefined;
      const [x, y] = P(lp[0], lp[1]);
      labels.push(`<text class="lbl ${cls}" data-p="${priority}" x="${x}" y="${y}">${esc(name(c, en, typeof th === 'string' ? th : undefined))}</text>`);
    }
  };
  // Districts: thin lines shown only when zoomed in (class z3), labels likewise.
  const dn = m.basemap.districtName;
  if (m.basemap.districts && dn) {
    const ds = visibleFeatures(m.basemap.districts, m.bbox);
    parts.push(`<g id="layer-districts" class="zoom3">${ds.map((f) => `<path class="district" d="${geometryPath(proj, f.geometry)}"/>`).join('')}</g>`);
    areaLabels(ds, dn, 'district-label zoom3', 1);
  }
  const pn = m.basemap.provinceName;
  if (m.basemap.provinces) {
    const ps = visibleFeatures(m.basemap.provinces, m.bbox);
    parts.push(`<g id="layer-provinces">${ps.map((f) => `<path class="province" d="${geometryPath(proj, f.geometry)}"/>`).join('')}</g>`);
    if (pn) areaLabels(ps, pn, 'province-label zoom2', 2);
  }
  for (const f of countries) {
    const code = String(f.properties?.['iso_a3'] ?? '');
    const en = String(f.properties?.['name'] ?? code);
    // Label at the centre of the part of the country inside the map box.
    const g = f.geometry;
    const polys = (g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
    let sx = 0;
    let sy = 0;
    let n = 0;
    const [x0, y0, x1, y1] = m.bbox;
    for (const poly of polys)
      for (const p of poly[0] ?? []) {
        if (inBox([x0 + (x1 - x0) * 0.08, y0 + (y1 - y0) * 0.08, x1 - (x1 - x0) * 0.08, y1 - (y1 - y0) * 0.08], p[0] as number, p[1] as number)) {
          sx += p[0] as number;
          sy += p[1] as number;
          n++;
        }
      }
    if (n < 20) continue;
    const [x, y] = P(sx / n, sy / n);
    labels.push(`<text class="lbl country-label" data-p="4" x="${x}" y="${y}">${esc(name(c, en, m.basemap.countryTh?.[code] ?? w.countries[code]).toUpperCase())}</text>`);
  }

  // Hotspot density (log colour scale: counts span 1..hundreds). Risk of the cell: the highest res-r child.
  const dmax = Math.max(1, ...m.density.cells.map((x) => x.count));
  const riskByParent = new Map<string, { score: number; level: string; top: string; explanation?: string }>();
  if (m.risk) {
    for (const r of m.risk.cells) {
      const parent = getResolution(r.h3) > m.density.res ? cellToParent(r.h3, m.density.res) : r.h3;
      const cur = riskByParent.get(parent);
      if (!cur || r.score > cur.score) riskByParent.set(parent, r);
    }
  }
  parts.push(
    `<g id="layer-density" class="layer">${m.density.cells
      .map((x, i) => `<path class="hex density" data-k="h" data-i="${i}" fill="${ramp(YLORRD, Math.log1p(x.count) / Math.log1p(dmax))}" d="${ringPath(proj, cellToBoundary(x.h3, true), true)}"/>`)
      .join('')}</g>`,
  );
  if (m.risk) {
    parts.push(
      `<g id="layer-risk" class="layer off">${m.risk.cells
        .map((x, i) => `<path class="hex risk" data-k="r" data-i="${i}" fill="${ramp(PURPLES, x.score / 100)}" d="${ringPath(proj, cellToBoundary(x.h3, true), true)}"/>`)
        .join('')}</g>`,
    );
  }
  parts.push(`<g id="layer-trajectories" class="layer"></g><g id="layer-fires-hour"></g><g id="layer-sources" class="layer"></g><g id="layer-hour"></g>`);
  // Towns.
  const towns = m.basemap.towns.filter((t) => inBox(m.bbox, t.lng, t.lat));
  parts.push(
    `<g id="layer-towns" class="layer">${towns
      .map((t) => {
        const [x, y] = P(t.lng, t.lat);
        return `<circle class="town mk" data-r="3.2" cx="${x}" cy="${y}" r="3"/>`;
      })
      .join('')}</g>`,
  );
  for (const t of towns) {
    const [x, y] = P(t.lng, t.lat);
    labels.push(`<text class="lbl town-label" data-p="6" data-ax="${x}" data-ay="${y}" x="${x}" y="${y}">${esc(name(c, t.en, t.th))}</text>`);
  }
  // Stations.
  const peakOf = new Map<string, { v: number; t: number }>();
  for (const e of m.episodes) {
    const cur = peakOf.get(e.station);
    if (!cur || e.peakValue > cur.v) peakOf.set(e.station, { v: e.peakValue, t: e.peakTime });
  }
  parts.push(
    `<g id="layer-stations" class="layer">${m.stations
      .filter((s) => inBox(m.bbox, s.lng, s.lat))
      .map((s) => {
        const [x, y] = P(s.lng, s.lat);
        return `<path class="station mk${peakOf.has(s.id) ? ' has-ep' : ''}" data-k="s" data-id="${esc(s.id)}" data-x="${x}" data-y="${y}" d=""/>`;
      })
      .join('')}</g>`,
  );
  for (const s of m.stations) {
    if (!inBox(m.bbox, s.lng, s.lat)) continue;
    const [x, y] = P(s.lng, s.lat);
    labels.push(`<text class="lbl station-label" data-p="9" data-k="s" data-id="${esc(s.id)}" data-ax="${x}" data-ay="${y}" x="${x}" y="${y}">${esc(s.id)}</text>`);
  }
  parts.push(`<g id="labels">${labels.join('')}</g>`);

  // Data the script needs, projected to map units (kept small: rounded, no repeated keys).
  const members = (e: ReportModel['episodes'][number]): unknown =>
    e.trajectories.map((t) => ({
      s: t.start,
      // Whole map units (≈ 0.8 km on the demo map) are plenty for a path whose own error is tens of km.
      p: t.mean.map(([lng, lat, tt]) => [...P(lng, lat).map(Math.round), Math.round((t.start - tt) / 3_600_000)]),
      r: t.spreadKm.map((k) => Math.round(k)),
      m: t.members?.map((mm) => mm.flatMap(([lng, lat]) => P(lng, lat).map(Math.round))),
    }));
  const src = (s: ReportModel['pooled']['sources'][number]): unknown => {
    const [x, y] = P(s.lng, s.lat);
    return [x, y, s.share, s.category, s.region, s.kind, s.name ?? s.id];
  };
  const [cx, cy] = [(m.bbox[0] + m.bbox[2]) / 2, (m.bbox[1] + m.bbox[3]) / 2];
  const a = P(cx, cy);
  const b = P(cx + 1, cy);
  const unitsPerKm = (b[0] - a[0]) / (111.32 * Math.cos((cy * Math.PI) / 180));
  const inView = m.stations.filter((s) => inBox(m.bbox, s.lng, s.lat)).map((s) => P(s.lng, s.lat));
  const data = {
    W: MAP_W,
    H: MAP_H,
    cx: inView.length ? Math.round(inView.reduce((t, p) => t + p[0], 0) / inView.length) : MAP_W / 2,
    unitsPerKm,
    density: m.density.cells.map((x) => {
      const r = riskByParent.get(x.h3);
      // The risk module's explanation is English: the Thai page names the top factor instead.
      return [x.count, Math.round(x.frp), r ? Math.round(r.score) : null, r ? (c.lang === 'en' && r.explanation ? r.explanation : r.top) : null, r ? r.level : null];
    }),
    risk: m.risk?.cells.map((x) => [Math.round(x.score), x.level, c.lang === 'en' && x.explanation ? x.explanation : x.top]) ?? [],
    stations: Object.fromEntries(m.stations.map((s) => [s.id, [name(c, s.name, s.nameTh), peakOf.get(s.id)?.v ?? null, peakOf.get(s.id)?.t ?? null]])),
    pooled: { cat: m.pooled.byCategory, reg: m.pooled.byRegion, src: m.pooled.sources.map(src) },
    episodes: m.episodes.map((e) => ({
      id: e.id,
      st: e.station,
      a: e.start,
      b: e.end,
      pk: e.peakTime,
      pv: e.peakValue,
      ok: e.status === 'attributed',
      cat: e.byCategory,
      reg: e.byRegion,
      src: e.sources.map(src),
      tr: members(e),
    })),
    fires: m.fires.map(([lng, lat, t, frp]) => [...P(lng, lat), Math.round(t / 60_000), Math.round(frp)]),
  };
  const svg = `<svg id="map" viewBox="0 0 ${MAP_W} ${MAP_H}" role="img" aria-label="${esc(w.mapHeading)}">${parts.join('')}</svg>`;
  return { svg, data };
}

// ---------------------------------------------------------------- charts

function niceTicks(min: number, max: number, n: number): number[] {
  const span = max - min || 1;
  const mag = 10 ** Math.floor(Math.log10(span / n));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => span / s <= n) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** PM2.5 lines: all stations muted, the selected one (set by the script) drawn strong; end labels pushed apart. */
function renderSeries(c: Ctx, W: number, id: string, cls: string): string {
  const { m, w, clock } = c;
  const H = W < 600 ? 300 : 340;
  const L = 44;
  const R = W < 600 ? 52 : 120;
  const T = 14;
  const B = 30;
  const pts = m.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p[1])));
  if (pts.length === 0) return '';
  const t0 = Math.min(...pts.map((p) => p[0]));
  const t1 = Math.max(...pts.map((p) => p[0]));
  const vmax = Math.max(m.facts.threshold * 1.3, ...pts.map((p) => p[1])) * 1.05;
  const x = (t: number): number => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (v: number): number => T + (1 - v / vmax) * (H - T - B);
  const parts: string[] = [];
  for (const v of niceTicks(0, vmax, 5)) parts.push(`<path class="grid" d="M${L},${f1(y(v))}H${W - R}"/><text class="tick" x="${L - 5}" y="${f1(y(v) + 4)}" text-anchor="end">${v}</text>`);
  const dayMs = 86_400_000;
  const off = clock.offsetMinutes * 60_000;
  const span = t1 - t0;
  const stepDays = Math.max(1, Math.ceil(span / dayMs / (W < 600 ? 5 : 10)));
  // Ticks at local midnights.
  for (let t = Math.ceil((t0 + off) / dayMs) * dayMs - off; t <= t1; t += stepDays * dayMs) {
    parts.push(`<path class="grid light" d="M${f1(x(t))},${T}V${H - B}"/><text class="tick" x="${f1(x(t))}" y="${H - B + 16}" text-anchor="middle">${esc(clock.days(t, t + 1))}</text>`);
  }
  for (const e of m.episodes) {
    const xa = x(Math.max(t0, e.start));
    const xb = x(Math.min(t1, e.end));
    if (xb <= xa) continue;
    parts.push(`<rect class="episode-band" data-st="${esc(e.station)}" x="${f1(xa)}" y="${T}" width="${f1(Math.max(2, xb - xa))}" height="${H - T - B}"/>`);
  }
  // The standard: line across, label in the right margin where no series runs.
  parts.push(`<path class="threshold" d="M${L},${f1(y(m.facts.threshold))}H${W - R}"/><text class="threshold-label" x="${W - R + 4}" y="${f1(y(m.facts.threshold) + 4)}">${esc(w.standard(`${m.facts.threshold}`))}</text>`);
  const ends: { y: number; st: string }[] = [];
  for (const s of m.series) {
    let d = '';
    let pen = false;
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${f1(x(t))},${f1(y(v))}`;
      pen = true;
    }
    parts.push(`<path class="series-line" data-st="${esc(s.station)}" d="${d}"/>`);
    const last = [...s.points].reverse().find((p) => Number.isFinite(p[1]));
    if (last) ends.push({ y: y(last[1]) + 4, st: s.station });
  }
  // End labels: sorted, pushed apart by 12 units, pulled back above the axis, never on the standard's label.
  const thrY = y(m.facts.threshold) + 4;
  ends.sort((p, q) => p.y - q.y);
  for (let i = 1; i < ends.length; i++) if ((ends[i] as { y: number }).y - (ends[i - 1] as { y: number }).y < 12) (ends[i] as { y: number }).y = (ends[i - 1] as { y: number }).y + 12;
  let limit = H - B + 4;
  for (let i = ends.length - 1; i >= 0; i--) {
    const l = ends[i] as { y: number };
    if (l.y > limit) l.y = limit;
    limit = l.y - 12;
  }
  for (const l of ends) {
    const clash = Math.abs(l.y - thrY) < 12 && W >= 600;
    parts.push(`<text class="series-label" data-st="${esc(l.st)}" x="${W - R + (clash ? 4 : 6) + (clash ? 92 : 0)}" y="${f1(l.y)}">${esc(l.st)}</text>`);
  }
  parts.push(`<text class="axis-label" x="12" y="${T + (H - T - B) / 2}" transform="rotate(-90 12 ${T + (H - T - B) / 2})" text-anchor="middle">${esc(w.seriesAxis)}</text>`);
  return `<svg id="${id}" class="series ${cls}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(w.seriesHeading)}">${parts.join('')}</svg>`;
}

/** Share bars as HTML (they reflow on a phone); the script re-renders them for the selected episode. */
function shareBarsHtml(bars: readonly ReportShare[], label: (k: string) => string, color: (k: string) => string, empty: string): string {
  if (bars.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const vmax = Math.min(1, Math.max(0.05, ...bars.map((b) => b.hi)));
  return bars
    .map(
      (b) =>
        `<div class="bar-row"><span class="bar-label">${esc(label(b.key))}</span><span class="bar-track"><span class="bar" style="width:${f1((b.share / vmax) * 100)}%;background:${color(b.key)}"></span><span class="whisker" style="left:${f1((b.lo / vmax) * 100)}%;width:${f1((Math.max(0, b.hi - b.lo) / vmax) * 100)}%"></span></span><span class="bar-value">${formatPercent(b.share)}</span></div>`,
    )
    .join('');
}

function renderCpf(c: Ctx, cpf: NonNullable<ReportModel['cpf']>, minHours: number): string {
  const { w } = c;
  const S = 360;
  const cc = S / 2;
  const rmax = S / 2 - 28;
  const smax = Math.max(...cpf.bins.map((b) => b.speedTo).filter(Number.isFinite));
  const r = (s: number): number => Math.min(rmax, (s / smax) * rmax);
  const pt = (deg: number, rad: number): string => {
    const a = (deg * Math.PI) / 180;
    return `${f1(cc + rad * Math.sin(a))},${f1(cc - rad * Math.cos(a))}`;
  };
  const parts: string[] = [];
  let drawn = 0;
  let skipped = 0;
  for (const b of cpf.bins) {
    if (!(b.n > 0) || !Number.isFinite(b.p)) continue;
    if (b.n < minHours) {
      skipped++;
      continue;
    }
    drawn++;
    const r0 = r(b.speedFrom);
    const r1 = r(b.speedTo);
    const large = b.dirTo - b.dirFrom > 180 ? 1 : 0;
    const d = `M${pt(b.dirFrom, r0)}L${pt(b.dirFrom, r1)}A${f1(r1)},${f1(r1)} 0 ${large} 1 ${pt(b.dirTo, r1)}L${pt(b.dirTo, r0)}A${f1(r0)},${f1(r0)} 0 ${large} 0 ${pt(b.dirFrom, r0)}Z`;
    parts.push(`<path class="cpf-cell" fill="${ramp(BLUES, b.p)}" d="${d}"><title>${esc(w.cpfBin(b.dirFrom, b.dirTo, f1(b.speedFrom), f1(b.speedTo), b.p.toFixed(2), b.n))}</title></path>`);
  }
  for (const s of niceTicks(0, smax, 4)) if (s > 0 && s < smax) parts.push(`<circle class="cpf-ring" cx="${cc}" cy="${cc}" r="${f1(r(s))}"/><text class="tick" x="${cc + 3}" y="${f1(cc - r(s) - 2)}">${s} m/s</text>`);
  parts.push(`<circle class="cpf-ring outer" cx="${cc}" cy="${cc}" r="${f1(rmax)}"/><text class="tick" x="${cc + 3}" y="${f1(cc - rmax - 2)}">${f1(smax)} m/s</text>`);
  const dirs = c.lang === 'th' ? ['เหนือ', 'ตะวันออก', 'ใต้', 'ตะวันตก'] : ['N', 'E', 'S', 'W'];
  dirs.forEach((lab, i) => {
    const [px, py] = pt(i * 90, rmax + 14).split(',');
    parts.push(`<text class="compass" x="${px}" y="${Number(py) + 4}" text-anchor="middle">${esc(lab)}</text>`);
  });
  return `<div class="cpf-plot"><svg id="cpf" viewBox="0 0 ${S} ${S}" role="img" data-drawn="${drawn}" data-skipped="${skipped}">${parts.join('')}</svg>
  <div class="ramp" style="background:linear-gradient(to right,${BLUES.join(',')})"></div><div class="ramp-labels"><span>${esc(w.cpfP)} 0</span><span>1</span></div></div>`;
}

// ---------------------------------------------------------------- page

const CSS = `
:root{--ink:#1d2733;--muted:#5d6d7e;--line:#d5dbe1;--bg:#f6f7f9;--card:#fff;--accent:#c0392b;--u:1}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Thai",sans-serif;color:var(--ink);background:var(--bg);overflow-x:hidden}
header{background:linear-gradient(120deg,#2c3e50,#7b2d26);color:#fff;padding:24px 32px 54px}
header h1{margin:0 0 4px;font-size:25px;font-weight:650;line-height:1.25}header p{margin:0;opacity:.88}
main{max-width:1320px;margin:0 auto;padding:16px 20px 50px}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:-34px 0 18px}
.fact{background:var(--card);border-radius:10px;padding:10px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12);min-width:0}
.fact .v{font-size:23px;font-weight:650;overflow-wrap:anywhere}.fact .l{color:var(--muted);font-size:13px}.fact .n{color:var(--muted);font-size:12px}
section{background:var(--card);border-radius:10px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:0}
h2{font-size:19px;margin:0 0 8px}h3{font-size:15px;margin:8px 0}.help{color:var(--muted);font-size:13px;margin:0 0 8px}
.controls{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;margin:0 0 10px;font-size:14px}
.controls select{font:inherit;flex:1 1 auto;min-width:0;width:100%;padding:4px}.controls label{display:flex;gap:6px;align-items:center;min-width:0;max-width:100%}.controls .ep-pick{flex:1 1 340px}
.hour-box{display:flex;gap:8px;align-items:center;flex:1 1 300px;min-width:0}.hour-box input{flex:1;min-width:0}#hour-label{min-width:9em;font-variant-numeric:tabular-nums}
.map-wrap{display:flex;gap:16px;align-items:flex-start}
.map-box{position:relative;flex:1;min-width:0;border:1px solid var(--line);border-radius:8px;overflow:hidden;background:#dce9f2;touch-action:none}
#map{display:block;width:100%;height:auto;aspect-ratio:${MAP_W}/${MAP_H};cursor:grab;user-select:none;-webkit-user-select:none}#map.dragging{cursor:grabbing}
.zoom-btns{position:absolute;top:8px;left:8px;display:flex;flex-direction:column;gap:4px}
.zoom-btns button{width:34px;height:34px;font:600 18px/1 system-ui,sans-serif;border:1px solid #aab7b8;border-radius:6px;background:#fff;cursor:pointer}
.north{position:absolute;top:8px;right:10px;width:30px;text-align:center;font:700 12px/1 system-ui,sans-serif;pointer-events:none}
.north svg{display:block;margin:0 auto 2px}
.scale{position:absolute;left:10px;bottom:8px;font-size:12px;background:rgba(255,255,255,.85);padding:2px 6px;border-radius:4px;pointer-events:none}
.scale .bar{height:6px;border:2px solid #17202a;border-top:none;margin-bottom:1px}
.tip{position:absolute;z-index:5;max-width:280px;background:rgba(23,32,42,.94);color:#fff;font-size:13px;line-height:1.35;padding:6px 9px;border-radius:6px;pointer-events:none;display:none}
.tip b{font-weight:650}
.legend{width:250px;font-size:13px;flex:0 0 250px}.legend label{display:flex;gap:6px;align-items:center;cursor:pointer;margin:2px 0}.legend-title{font-weight:650;margin:10px 0 4px}
.ramp{height:10px;border-radius:3px;border:1px solid var(--line)}.ramp-labels{display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
.swatch-row{display:flex;align-items:center;gap:6px}.swatch{width:12px;height:12px;border-radius:50%;display:inline-block;flex:0 0 12px}.swatch.square{border-radius:2px}
.line-swatch{width:22px;height:0;border-top:2.5px solid #1f4e79;display:inline-block}.band-swatch{width:22px;height:9px;background:#6fa8dc;opacity:.45;display:inline-block;border-radius:3px}
.sea{fill:#dce9f2}.country{fill:#f4f1ea;stroke:#6c7a89;stroke-width:1.2;vector-effect:non-scaling-stroke}.country.home{fill:#fdfcf8}
.province{fill:none;stroke:#5d6d7e;stroke-width:.9;stroke-opacity:.85;vector-effect:non-scaling-stroke;stroke-dasharray:4 3}
.district{fill:none;stroke:#95a5a6;stroke-width:.6;vector-effect:non-scaling-stroke}
.zoom2,.zoom3{display:none}#map.z2 .zoom2,#map.z3 .zoom3{display:inline}
.hex{stroke:rgba(120,60,0,.35);stroke-width:.5;vector-effect:non-scaling-stroke;fill-opacity:.62}.hex.risk{stroke:rgba(60,0,100,.3);fill-opacity:.6}.hex:hover{stroke:#000;stroke-width:2;fill-opacity:.9}
.layer.off{display:none}
.traj-bands{opacity:.22}.traj-band{fill:#6fa8dc;stroke:none}#layer-trajectories.many .traj-mean{stroke-width:.9;stroke-opacity:.45}.traj-mean{fill:none;stroke:#1f4e79;stroke-width:1.6;stroke-opacity:.75;vector-effect:non-scaling-stroke}#layer-trajectories .traj-mean.now{stroke:#0b2545;stroke-width:3.2;stroke-opacity:1}
.traj-member{fill:none;stroke:#3d85c6;stroke-width:.7;stroke-opacity:.45;vector-effect:non-scaling-stroke}
.hour-dot{fill:#0b5394;stroke:#fff;stroke-width:1;vector-effect:non-scaling-stroke}.fire-dot{fill:#e31a1c;fill-opacity:.75;stroke:#fff;stroke-width:.5;vector-effect:non-scaling-stroke}
.source{stroke:#fff;stroke-width:1;vector-effect:non-scaling-stroke;fill-opacity:.92}
.station{fill:#fff;stroke:#17202a;stroke-width:1.4;vector-effect:non-scaling-stroke;cursor:pointer}.station.has-ep{fill:#aab7b8}.station.sel{fill:#17202a}
.town{fill:#17202a;stroke:#fff;stroke-width:1;vector-effect:non-scaling-stroke}
.lbl{font-size:calc(11.5px * var(--u));paint-order:stroke;stroke:#fff;stroke-width:calc(3px * var(--u));stroke-linejoin:round;pointer-events:none}
.country-label{font-size:calc(13px * var(--u));font-weight:700;letter-spacing:.16em;fill:#5d6d7e;text-anchor:middle}
.province-label{font-size:calc(11px * var(--u));fill:#566573;font-style:italic;text-anchor:middle}.district-label{font-size:calc(10px * var(--u));fill:#7f8c8d;text-anchor:middle}
.town-label{font-size:calc(12px * var(--u));font-weight:600;fill:#17202a}.station-label{font-weight:700;fill:#17202a;pointer-events:auto;cursor:pointer}
.lbl.hidden{display:none}
.grid{stroke:#e5e8e8}.grid.light{stroke:#f0f2f3}.tick{font-size:11px;fill:var(--muted)}
.threshold{stroke:var(--accent);stroke-dasharray:5 4;stroke-width:1.3}.threshold-label{font-size:11px;fill:var(--accent);font-weight:600}
.series{width:100%;display:block}.series-line{fill:none;stroke:#c3cbd3;stroke-width:1.2}.series-line.sel{stroke:#c0392b;stroke-width:2.6}
.series-label{font-size:11px;fill:#aab7b8}.series-label.sel{fill:#c0392b;font-weight:700}.episode-band{fill:#c0392b;fill-opacity:.035}.episode-band.sel{fill-opacity:.14}
.axis-label{font-size:12px;fill:var(--muted)}.series.narrow{display:none}
.two{display:grid;grid-template-columns:1fr 1fr;gap:24px}
.bar-row{display:grid;grid-template-columns:minmax(90px,38%) 1fr 4.2em;gap:8px;align-items:center;font-size:13px;margin:4px 0}
.bar-track{position:relative;height:16px;background:#f2f4f4;border-radius:3px}.bar-track .bar{position:absolute;left:0;top:0;bottom:0;border-radius:3px}
.whisker{position:absolute;top:7px;height:2px;background:#17202a}.bar-value{font-weight:650;text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#f2f4f4;font-weight:650;white-space:nowrap;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.nw{white-space:nowrap}.scorebar{display:inline-block;height:9px;background:#756bb1;border-radius:2px;vertical-align:middle;margin-right:6px}
#episodes tbody tr{cursor:pointer}#episodes tbody tr.sel{background:#fdecea}
.cpf-wrap{display:flex;gap:24px;align-items:center}.cpf-plot{flex:0 0 360px;max-width:100%}#cpf{width:100%;max-width:360px;display:block}
.cpf-ring{fill:none;stroke:#aab7b8;stroke-dasharray:2 3}.cpf-ring.outer{stroke:#5d6d7e;stroke-dasharray:none}.compass{font-size:12px;font-weight:650}.cpf-cell{stroke:#fff;stroke-width:.4}
.caveats li{margin-bottom:6px}.downloads{columns:2;font-size:13px}.downloads a{color:#1f4e79}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:20px}.empty{color:var(--muted);font-style:italic}
@media (max-width:900px){.map-wrap,.two,.cpf-wrap{display:block}.legend{width:auto;columns:2;column-gap:18px;margin-top:10px}.legend-title{break-after:avoid}}
@media (max-width:600px){header{padding:16px 14px 46px}header h1{font-size:20px}main{padding:10px 8px 40px}section{padding:12px 10px;border-radius:8px}
.facts{grid-template-columns:1fr 1fr;gap:8px}.fact .v{font-size:19px}.map-box{margin:0 -10px;border-radius:0;border-left:none;border-right:none}
#map{aspect-ratio:4/5}.series.wide{display:none}.series.narrow{display:block}.legend{columns:1}.downloads{columns:1}.cpf-plot{flex:none}}
@media print{@page{size:A4;margin:12mm}body{background:#fff;font-size:11px}header{color:#000;background:none;padding:0 0 6px}.facts{margin:6px 0}
.controls,.zoom-btns,.tip,.hour-box{display:none!important}section{box-shadow:none;border:1px solid #ccc;break-inside:avoid;page-break-inside:avoid}
.map-wrap{display:block}.legend{width:auto;columns:3}.scroll{overflow:visible;border:none}.series.narrow{display:none}.series.wide{display:block}}
`;

function table(head: string[], rows: string[], id: string): string {
  return `<div class="scroll"><table id="${id}"><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** Plain words for a district's risk: the risk module's explanation when present, else the top factors with their points. */
function districtWhy(c: Ctx, d: ReportModel['districts'][number]): string {
  if (d.explanation && c.lang === 'en') return d.explanation;
  const [first, ...rest] = d.factors.filter((f) => f.points > 0.5);
  if (!first) return c.w.none;
  const one = (f: { factor: string; points: number }): string => c.w.factorWords(humanLabel('factor', f.factor, c.lang), f.points.toFixed(0));
  const text = rest.length ? `${one(first)}; ${c.w.factorThen} ${rest.map(one).join(', ')}` : one(first);
  return d.explanation ? `${text} — ${d.explanation}` : text;
}

/**
 * Render the report as one self-contained, offline HTML document (inline CSS, SVG and script; no
 * network request). `lang` picks English or Thai for every label and sentence, `utcOffset` the local
 * time every person-facing time is written in (default '+07:00'). Throws `HazetraceError` `E_ARG` for an
 * unknown language, a bad offset or a model without a map box.
 *
 * @example
 * ```ts
 * import { renderReport, exampleReportModel } from 'hazetrace/report';
 * const html = renderReport(exampleReportModel(), { lang: 'th', utcOffset: '+07:00' });
 * html.startsWith('<!DOCTYPE html>'); // true
 * html.includes('lang="th"'); // true
 * ```
 */
export function renderReport(model: ReportModel, options: RenderReportOptions = {}): string {
  checkObject('model', model);
  checkOptions('options', options);
  const lang = (options.lang ?? 'en') as ReportLang;
  const w = reportWords(lang);
  const clock = localClock(options.utcOffset ?? '+07:00', lang);
  const minHours = options.cpfMinHours ?? CPF_MIN_HOURS;
  if (!Number.isFinite(minHours) || minHours < 1) throw new HazetraceError('E_ARG', `cpfMinHours must be a number ≥ 1, got ${String(options.cpfMinHours)}`);
  const bb = model.bbox;
  if (!Array.isArray(bb) || bb.length !== 4 || !bb.every(Number.isFinite) || !(bb[2] > bb[0] && bb[3] > bb[1])) {
    throw new HazetraceError('E_ARG', `model.bbox must be [minLng, minLat, maxLng, maxLat] with max > min, got ${JSON.stringify(bb)}`);
  }
  const c: Ctx = { m: model, w, lang, clock, proj: makeProjection(bb) };
  const m = model;
  const place = lang === 'th' ? m.place.th : m.place.en;
  const days = clock.days(Date.parse(`${m.firstDay}T12:00:00Z`) - clock.offsetMinutes * 60_000, Date.parse(`${m.lastDay}T12:00:00Z`) - clock.offsetMinutes * 60_000 + 1);
  const year = clock.day(Date.parse(`${m.lastDay}T12:00:00Z`)).split(' ').pop() ?? '';
  const title = w.title(place, `${days} ${year}`);
  const epStations = new Set(m.episodes.map((e) => e.station));
  const subtitle = w.subtitle(epStations.size, formatNumber(m.facts.fires), m.facts.powerPlants).replace('{off}', clock.offsetLabel);
  const map = renderMap(c);
  const unit = lang === 'th' ? 'มคก./ลบ.ม.' : 'µg/m³';
  const facts = [
    [String(m.facts.episodes), w.factEpisodes, w.factEpisodesNote(`${m.facts.threshold} ${unit}`)],
    [formatNumber(m.facts.fires), w.factFires, w.factFiresNote(m.facts.densityCells, m.facts.densityRes)],
    [formatPercent(m.facts.fireShare), w.factFireShare, w.factFireShareNote],
    [Number.isFinite(m.facts.crossBorder) ? formatPercent(m.facts.crossBorder) : w.na, w.factCross, w.factCrossNote],
    ...(m.facts.topDistrict ? [[name(c, m.facts.topDistrict.name, m.facts.topDistrict.nameTh), w.factTopDistrict, m.facts.topDistrict.probability !== undefined ? w.factTopDistrictChance(formatPercent(m.facts.topDistrict.probability)) : w.factTopDistrictNote(m.facts.topDistrict.score.toFixed(0))]] : []),
  ];
  const topKey = (s: readonly ReportShare[]): string | undefined => [...s].sort((a, b) => b.share - a.share)[0]?.key;
  const episodeRows = m.episodes.map((e, i) => {
    const tc = topKey(e.byCategory);
    const tr = topKey(e.byRegion);
    const share = (arr: readonly ReportShare[], k: string | undefined): string => formatPercent(arr.find((x) => x.key === k)?.share ?? NaN);
    return `<tr data-ep="${i}"><td class="nw">${esc(stationLabel(c, e.station))}</td><td class="nw">${esc(clock.days(e.start, e.end))}</td><td class="nw">${esc(clock.dayHour(e.start))}</td><td class="nw">${esc(clock.dayHour(e.end))}</td><td class="num">${formatNumber(e.peakValue, 1)}</td><td>${e.status === 'attributed' && tc ? `${esc(shareLabel(c, 'category', tc))} (${share(e.byCategory, tc)})` : ''}</td><td>${e.status === 'attributed' && tr ? `${esc(shareLabel(c, 'country', tr))} (${share(e.byRegion, tr)})` : ''}</td><td>${esc(humanLabel('status', e.status, lang))}</td></tr>`;
  });
  const th = (s: string, num = false): string => `<th${num ? ' class="num"' : ''}>${esc(s)}</th>`;
  const episodesTable = m.episodes.length
    ? table([th(w.colStation), th(w.colDays), th(w.colStart), th(w.colEnd), th(w.colPeak, true), th(w.colTopCategory), th(w.colTopRegion), th(w.colStatus)], episodeRows, 'episodes')
    : `<p class="empty">${esc(w.noEpisodes)}</p>`;
  // With the burn-probability model the table shows each district's chance (its ranking key's per-cell mean); else the 0–100 score.
  const byChance = m.districts.some((d) => d.probability !== undefined);
  const value = (d: (typeof m.districts)[number]): number => (byChance ? (d.probability ?? 0) : d.score);
  const smax = Math.max(byChance ? 1e-9 : 1, ...m.districts.map(value));
  const districtRows = m.districts.map(
    (d) =>
      `<tr><td class="num">${d.rank}</td><td class="nw">${esc(name(c, d.name, d.nameTh))}</td><td class="nw">${esc(name(c, d.province, d.provinceTh))}</td><td class="nw"><span class="scorebar" style="width:${f1((value(d) / smax) * 70)}px"></span>${byChance ? formatPercent(d.probability ?? NaN) : d.score.toFixed(0)}</td><td class="nw">${esc(humanLabel('level', d.level, lang))}</td><td>${esc(districtWhy(c, d))}</td></tr>`,
  );
  const districtsTable = m.districts.length
    ? table([th(w.colRank, true), th(w.colDistrict), th(w.colProvince), th(byChance ? w.colChance : w.colScore), th(w.colLevel), th(w.colWhy)], districtRows, 'districts')
    : `<p class="empty">${esc(w.none)}</p>`;
  const dmax = Math.max(1, ...m.density.cells.map((x) => x.count));
  const cats = [...new Set([...m.pooled.byCategory.map((s) => s.key), ...m.pooled.sources.map((s) => s.category), ...m.episodes.flatMap((e) => e.byCategory.map((s) => s.key))])];
  const layerToggle = (id: string, label: string, on: boolean): string => `<label><input type="checkbox" data-layer="${id}"${on ? ' checked' : ''}> ${esc(label)}</label>`;
  const legend = `<div class="legend">
<div class="legend-title">${esc(w.layers)}</div>
${layerToggle('layer-density', w.layerDensity, true)}${m.risk ? layerToggle('layer-risk', w.layerRisk, false) : ''}${layerToggle('layer-trajectories', w.layerTrajectories, true)}${layerToggle('layer-sources', w.layerSources, true)}${layerToggle('layer-stations', w.layerStations, true)}${layerToggle('layer-towns', w.layerTowns, true)}
<div class="legend-title">${esc(w.legendDensity)}</div><div class="ramp" style="background:linear-gradient(to right,${YLORRD.join(',')})"></div><div class="ramp-labels"><span>1</span><span>${dmax}</span></div>
${m.risk ? `<div class="legend-title">${esc(w.legendRisk)}</div><div class="ramp" style="background:linear-gradient(to right,${PURPLES.join(',')})"></div><div class="ramp-labels"><span>0</span><span>100</span></div>` : ''}
<div class="legend-title">${esc(w.layerSources)}</div>
${cats.map((k) => `<div class="swatch-row"><span class="swatch${k === 'facility' ? ' square' : ''}" style="background:${categoryColor(k)}"></span>${esc(humanLabel('category', k, lang))}</div>`).join('')}
<div class="legend-title">${esc(w.layerTrajectories)}</div>
<div class="swatch-row"><span class="line-swatch"></span>${esc(w.legendMean)}</div><div class="swatch-row"><span class="band-swatch"></span>${esc(w.legendSpread)}</div>
<div class="swatch-row"><svg width="14" height="14" viewBox="-7 -7 14 14"><path d="M0,-6L5.5,4H-5.5Z" fill="#17202a"/></svg>${esc(w.legendStation)}</div>
<div class="swatch-row"><svg width="14" height="14" viewBox="-7 -7 14 14"><circle r="3.5" fill="#17202a"/></svg>${esc(w.legendTown)}</div>
</div>`;
  const epOptions = [`<option value="-1">${esc(w.allEpisodes)}</option>`]
    .concat(m.episodes.map((e, i) => `<option value="${i}"${e.status === 'attributed' ? '' : ' disabled'}>${esc(`${stationLabel(c, e.station)} · ${clock.days(e.start, e.end)} · ${formatNumber(e.peakValue, 1)} ${unit}`)}</option>`))
    .join('');
  const northArrow = `<div class="north" aria-label="north"><svg width="18" height="26" viewBox="0 0 18 26"><path d="M9,0L17,24L9,18L1,24Z" fill="#17202a"/><path d="M9,0L9,18L1,24Z" fill="#fff" stroke="#17202a"/></svg>${esc(w.north)}</div>`;
  const dl = (key: string): string => {
    const f = m.downloads.find((x) => x.key === key);
    return f ? ` <a class="dl" href="${esc(f.file)}" download>${esc(f.file)}</a>` : '';
  };
  const clientData = {
    map: map.data,
    lang,
    off: clock.offsetMinutes,
    months: w.months,
    yearOffset: w.yearOffset,
    hourSuffix: w.hourSuffix,
    words: {
      detections: w.detections(0).replace('0', '{n}'),
      frp: w.frp('{v}'),
      risk: w.risk('{s}', '{l}'),
      mainFactor: w.mainFactor,
      sourceShare: w.sourceShare('{p}', '{e}'),
      stationPeak: w.stationPeak('{v}', '{t}'),
      stationNoEpisode: w.stationNoEpisode,
      traj: w.trajTip('{s}', '{t}', '{k}'),
      all: w.allEpisodes,
      hourAll: w.hourAll,
      km: w.km,
      unit,
      empty: w.nothingAttributed,
      fireWord: lang === 'th' ? 'จุดความร้อน' : 'fire detection',
    },
    cat: Object.fromEntries([...new Set([...cats, ...m.episodes.flatMap((e) => e.byCategory.map((s) => s.key))])].map((k) => [k, [humanLabel('category', k, lang), categoryColor(k)]])),
    reg: Object.fromEntries([...new Set([...m.pooled.byRegion.map((s) => s.key), ...m.episodes.flatMap((e) => e.byRegion.map((s) => s.key)), ...m.pooled.sources.map((s) => s.region)])].map((k) => [k, [humanLabel('country', k, lang), regionColor(k)]])),
    levels: Object.fromEntries(['low', 'moderate', 'high', 'very high'].map((k) => [k, humanLabel('level', k, lang)])),
    factors: Object.fromEntries(Object.keys(w.factors).map((k) => [k, humanLabel('factor', k, lang)])),
    epLabels: m.episodes.map((e) => `${stationLabel(c, e.station)} · ${clock.days(e.start, e.end)}`),
  };
  const methods = lang === 'th' && m.methods.th ? m.methods.th : m.methods.en;
  const caveats = lang === 'th' && m.caveats.th ? m.caveats.th : m.caveats.en;
  const onlyEn = lang === 'th' && (!m.methods.th || !m.caveats.th) ? `<p class="help">${esc(w.methodsOnlyEn)}</p>` : '';
  const downloadKeys: Record<string, { en: string; th: string }> = {
    density: { en: 'Fire detections per cell (GeoJSON)', th: 'จุดความร้อนต่อช่อง (GeoJSON)' },
    densityCsv: { en: 'Fire detections per cell (CSV)', th: 'จุดความร้อนต่อช่อง (CSV)' },
    risk: { en: 'Risk score per cell (GeoJSON)', th: 'คะแนนความเสี่ยงต่อช่อง (GeoJSON)' },
    trajectories: { en: 'Back-trajectories, all members (GeoJSON)', th: 'เส้นทางลมย้อนกลับทุกเส้น (GeoJSON)' },
    sources: { en: 'Sources ranked by share (GeoJSON)', th: 'แหล่งกำเนิดเรียงตามสัดส่วน (GeoJSON)' },
    districts: { en: 'Districts ranked by risk (CSV)', th: 'อำเภอเรียงตามความเสี่ยง (CSV)' },
    shares: { en: 'Shares per episode (CSV)', th: 'สัดส่วนแต่ละช่วงฝุ่น (CSV)' },
    attribution: { en: 'Full attribution result (JSON)', th: 'ผลการระบุแหล่งทั้งหมด (JSON)' },
    summary: { en: 'Summary (JSON)', th: 'สรุป (JSON)' },
  };
  return `<!DOCTYPE html>
<html lang="${w.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1><p>${esc(subtitle)}</p></header>
<main>
<div class="facts">${facts.map(([v, l, n]) => `<div class="fact"><div class="v">${esc(v ?? '')}</div><div class="l">${esc(l ?? '')}</div><div class="n">${esc(n ?? '')}</div></div>`).join('')}</div>
<section id="map-section"><h2>${esc(w.mapHeading)}</h2><p class="help">${esc(w.mapHelp)}</p>
<div class="controls"><label class="ep-pick">${esc(w.episodePick)} <select id="episode">${epOptions}</select></label>
<div class="hour-box"><span>${esc(w.hour)}</span><input type="range" id="hour" min="0" max="0" value="0" step="1" aria-label="${esc(w.hour)}"><span id="hour-label">${esc(w.hourAll)}</span></div>
<label><input type="checkbox" id="members"> ${esc(w.showMembers)}</label></div>
<div class="map-wrap"><div class="map-box" id="map-box">${map.svg}
<div class="zoom-btns"><button type="button" id="zoom-in" title="${esc(w.zoomIn)}" aria-label="${esc(w.zoomIn)}">+</button><button type="button" id="zoom-out" title="${esc(w.zoomOut)}" aria-label="${esc(w.zoomOut)}">−</button><button type="button" id="zoom-reset" title="${esc(w.zoomReset)}" aria-label="${esc(w.zoomReset)}">⟲</button></div>
${northArrow}<div class="scale" id="scale"><div class="bar" id="scale-bar"></div><span id="scale-label"></span></div><div class="tip" id="tip" role="status"></div></div>
${legend}</div>
<p class="help">${esc(w.playHint)}</p></section>
<section id="shares-section"><h2>${esc(w.sharesHeading)}: <span id="shares-title">${esc(w.allEpisodes)}</span></h2><p class="help">${esc(w.sharesHelp)}</p>
<div class="two" id="shares"><div><h3>${esc(w.byCategory)}</h3><div id="chart-category">${shareBarsHtml(m.pooled.byCategory, (k) => humanLabel('category', k, lang), categoryColor, w.nothingAttributed)}</div></div>
<div><h3>${esc(w.byCountry)}</h3><div id="chart-region">${shareBarsHtml(m.pooled.byRegion, (k) => humanLabel('country', k, lang), regionColor, w.nothingAttributed)}</div></div></div></section>
<section id="series-section"><h2>${esc(w.seriesHeading)}</h2><p class="help">${esc(lang === 'th' ? m.seriesNote.th : m.seriesNote.en)}</p>
${renderSeries(c, 960, 'series', 'wide')}${renderSeries(c, 420, 'series-narrow', 'narrow')}
<h3>${esc(w.episodesTable)}</h3>${episodesTable}</section>
<section id="districts-section"><h2>${esc(w.districtsHeading)}</h2>${districtsTable}</section>
${m.cpf ? `<section id="cpf-section"><h2>${esc(w.cpfHeading(`${m.cpf.station} (${lang === 'th' ? m.cpf.period.th : m.cpf.period.en})`))}</h2><div class="cpf-wrap">${renderCpf(c, m.cpf, minHours)}<p>${esc(w.cpfText(`${formatNumber(m.cpf.threshold, 1)} ${unit}`, minHours))}</p></div></section>` : ''}
<section id="downloads-section"><h2>${esc(w.downloads)}</h2><p class="help">${esc(w.downloadNote)}</p><ul class="downloads">${m.downloads.map((d) => `<li>${esc(downloadKeys[d.key]?.[lang] ?? d.key)}:${dl(d.key)}</li>`).join('')}</ul></section>
<section id="methods-section" class="caveats"><h2>${esc(w.methodsHeading)}</h2>${onlyEn}
<h3>${esc(w.methods)}</h3><ul>${methods.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<h3>${esc(w.caveats)}</h3><ul>${caveats.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></section>
<footer>${esc(m.generatedAt === null ? w.footerUndated : w.footer(`${clock.full(m.generatedAt)} (UTC${clock.offsetLabel})`))}</footer>
</main>
<script>var HZ=${jsonScript(clientData)};
${REPORT_CLIENT_SCRIPT}</script>
</body></html>
`;
}
