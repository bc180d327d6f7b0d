/**
 * Render a ReportModel as ONE self-contained HTML file: inline CSS, inline SVG drawn here at build time
 * (map projected with d3-geo, hexagon outlines from h3-js), a few lines of inline JS for layer toggles.
 * No CDN, no fonts, no network: it must open from a USB stick in a war room with no internet.
 */
import { geoMercator, type GeoProjection } from 'd3-geo';
import { cellToBoundary } from 'h3-js';
import type { GeoCollection, ReportModel, ShareBar } from './model.js';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %` : 'n/a');
/** Thai local calendar days (UTC+7) an episode [start, end) covers, e.g. "23–24 Apr". */
const localDays = (start: number, end: number): string => {
  const fmt = (t: number): [number, string] => {
    const d = new Date(t + 7 * 3_600_000);
    return [d.getUTCDate(), d.toLocaleString('en', { month: 'short', timeZone: 'UTC' })];
  };
  const [d0, m0] = fmt(start);
  const [d1, m1] = fmt(end - 1);
  return d0 === d1 && m0 === m1 ? `${d0} ${m0}` : m0 === m1 ? `${d0}–${d1} ${m1}` : `${d0} ${m0} – ${d1} ${m1}`;
};
const isoMinute = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

/** Categorical colours (ColorBrewer-like, readable on white). */
export const CATEGORY_COLORS: Record<string, string> = {
  fire_repeat_burn: '#c0392b',
  fire_other: '#f39c12',
  facility: '#6c3483',
  report: '#1f77b4',
  area: '#16a085',
};
const REGION_PALETTE = ['#1f78b4', '#33a02c', '#e31a1c', '#ff7f00', '#6a3d9a', '#b15928', '#a6cee3', '#b2df8a', '#fb9a99', '#cab2d6'];
const SERIES_PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666', '#1f78b4', '#b2182b', '#4393c3', '#8c510a', '#35978f', '#762a83', '#5aae61'];
export const categoryColor = (c: string): string => CATEGORY_COLORS[c] ?? '#7f8c8d';

/** Piecewise-linear colour ramp over `stops` for t in [0,1]. */
function ramp(stops: string[], t: number): string {
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
const BLUES_CPF = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

// ---------------------------------------------------------------- map

const MAP_W = 960;
const MAP_H = 760;

function makeProjection(bbox: [number, number, number, number]): GeoProjection {
  const [x0, y0, x1, y1] = bbox;
  // Fit on the bbox corners as points: fitting on polygons would depend on ring winding (d3-geo uses
  // spherical polygons, where a counter-clockwise ring means "the whole globe minus this").
  return geoMercator().fitExtent(
    [
      [8, 8],
      [MAP_W - 8, MAP_H - 8],
    ],
    { type: 'MultiPoint', coordinates: [[x0, y0], [x1, y1], [x0, y1], [x1, y0]] },
  );
}

/** Project a ring point by point to an SVG path (planar; robust to ring winding, unlike geoPath on the sphere). */
function ringPath(proj: GeoProjection, ring: readonly (readonly number[])[], close: boolean): string {
  let d = '';
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i] as number[];
    const xy = proj([p[0] as number, p[1] as number]);
    if (!xy) continue;
    d += `${d === '' ? 'M' : 'L'}${xy[0].toFixed(1)},${xy[1].toFixed(1)}`;
  }
  return d === '' ? '' : d + (close ? 'Z' : '');
}

function geometryPath(proj: GeoProjection, g: { type: string; coordinates: unknown } | null): string {
  if (!g) return '';
  const c = g.coordinates as unknown;
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

function outlineLayer(proj: GeoProjection, fc: GeoCollection | undefined, cls: string, nameKey: string): string {
  if (!fc) return '';
  return fc.features
    .map((f) => {
      const d = geometryPath(proj, f.geometry);
      if (!d) return '';
      const name = f.properties?.[nameKey];
      return `<path class="${cls}" d="${d}">${typeof name === 'string' ? `<title>${esc(name)}</title>` : ''}</path>`;
    })
    .join('');
}

function hexPath(proj: GeoProjection, h3: string): string {
  // cellToBoundary gives [lat, lng] pairs; GeoJSON order is requested with `true`.
  return ringPath(proj, cellToBoundary(h3, true), true);
}

/**
 * Country names placed at the mean of each country's vertices that fall inside the map box, so a
 * country that is mostly off the map is still labelled where it shows.
 */
function countryLabels(proj: GeoProjection, m: ReportModel): string {
  const [x0, y0, x1, y1] = m.bbox;
  const padX = (x1 - x0) * 0.06;
  const padY = (y1 - y0) * 0.06;
  const out: string[] = [];
  for (const f of m.outlines.countries.features) {
    const name = f.properties?.['name'];
    const g = f.geometry;
    if (typeof name !== 'string' || !g) continue;
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (const poly of polys) {
      for (const p of poly[0] ?? []) {
        const lng = p[0] as number;
        const lat = p[1] as number;
        if (lng > x0 + padX && lng < x1 - padX && lat > y0 + padY && lat < y1 - padY) {
          sx += lng;
          sy += lat;
          n++;
        }
      }
    }
    if (n < 20) continue; // barely on the map: no label
    const xy = proj([sx / n, sy / n]);
    if (xy) out.push(`<text class="country-label" x="${f1(xy[0])}" y="${f1(xy[1])}" text-anchor="middle">${esc(name.toUpperCase())}</text>`);
  }
  return out.join('');
}

function renderMap(m: ReportModel): string {
  const proj = makeProjection(m.bbox);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${MAP_W}" height="${MAP_H}" class="sea"/>`);
  parts.push(`<g id="layer-countries" class="layer">${outlineLayer(proj, m.outlines.countries, 'country', 'name')}</g>`);
  const labels = countryLabels(proj, m);
  if (m.outlines.provinces) parts.push(`<g id="layer-provinces" class="layer">${outlineLayer(proj, m.outlines.provinces, 'province', 'pro_en')}</g>`);

  // Hotspot density on a log scale: counts span 1..hundreds, a linear ramp would show one red cell.
  const dmax = Math.max(1, ...m.densityHex.cells.map((c) => c.value));
  parts.push(
    `<g id="layer-density" class="layer">${m.densityHex.cells
      .map((c) => {
        const t = Math.log1p(c.value) / Math.log1p(dmax);
        return `<path class="hex density" data-h3="${c.h3}" fill="${ramp(YLORRD, t)}" d="${hexPath(proj, c.h3)}"><title>${c.h3}: ${f1(c.value)} ${esc(m.densityHex.label)}</title></path>`;
      })
      .join('')}</g>`,
  );
  if (m.riskHex) {
    parts.push(
      `<g id="layer-risk" class="layer" style="display:none">${m.riskHex.cells
        .map(
          (c) =>
            `<path class="hex risk" data-h3="${c.h3}" fill="${ramp(PURPLES, c.score / 100)}" d="${hexPath(proj, c.h3)}"><title>${c.h3}: risk ${f1(c.score)} (${esc(c.level)})</title></path>`,
        )
        .join('')}</g>`,
    );
  }
  parts.push(
    `<g id="layer-trajectories" class="layer">${m.trajectories
      .map((t) => `<path class="trajectory" d="${ringPath(proj, t.coords, false)}"><title>${esc(t.id)} (back-trajectory from ${esc(t.receptor)})</title></path>`)
      .join('')}</g>`,
  );
  const smax = Math.max(1e-9, ...m.sources.map((s) => s.share));
  parts.push(
    `<g id="layer-sources" class="layer">${[...m.sources]
      .sort((a, b) => a.share - b.share)
      .map((s) => {
        const xy = proj([s.lng, s.lat]);
        if (!xy) return '';
        const r = 2 + 10 * Math.sqrt(s.share / smax);
        const shape =
          s.kind === 'facility'
            ? `<rect class="source facility" x="${(xy[0] - r).toFixed(1)}" y="${(xy[1] - r).toFixed(1)}" width="${(2 * r).toFixed(1)}" height="${(2 * r).toFixed(1)}" fill="${categoryColor(s.category)}"`
            : `<circle class="source" cx="${xy[0].toFixed(1)}" cy="${xy[1].toFixed(1)}" r="${r.toFixed(1)}" fill="${categoryColor(s.category)}"`;
        return `${shape}><title>${esc(s.label ?? s.id)}: ${pct(s.share)} of attributed PM2.5 (${esc(s.category)}, ${esc(s.region || 'unknown region')})</title>${s.kind === 'facility' ? '</rect>' : '</circle>'}`;
      })
      .join('')}</g>`,
  );
  parts.push(
    `<g id="layer-stations" class="layer">${m.stations
      .map((s) => {
        const xy = proj([s.lng, s.lat]);
        if (!xy) return '';
        const [x, y] = xy;
        return `<g class="station${s.inEpisode ? ' in-episode' : ''}"><path d="M${f1(x)},${f1(y - 7)}L${f1(x + 6)},${f1(y + 4)}L${f1(x - 6)},${f1(y + 4)}Z"/><text x="${f1(x + 8)}" y="${f1(y + 4)}">${esc(s.id)}</text><title>${esc(s.id)} ${esc(s.name)}</title></g>`;
      })
      .join('')}</g>`,
  );
  parts.push(`<g id="country-labels">${labels}</g>`);
  // Scale bar: 100 km at the map centre latitude.
  const midLat = (m.bbox[1] + m.bbox[3]) / 2;
  const a = proj([m.bbox[0] + 0.5, midLat]);
  const b = proj([m.bbox[0] + 0.5 + 100 / (111.32 * Math.cos((midLat * Math.PI) / 180)), midLat]);
  if (a && b) {
    const y = MAP_H - 24;
    parts.push(
      `<g class="scalebar"><path d="M${f1(a[0])},${y}h${f1(b[0] - a[0])}" /><text x="${f1(a[0])}" y="${y - 6}">100 km</text></g>`,
    );
  }

  const toggles = [
    ['layer-density', `Hotspot density (H3 res ${m.densityHex.res})`, true],
    ...(m.riskHex ? [['layer-risk', `Risk score (H3 res ${m.riskHex.res})`, false] as const] : []),
    ['layer-trajectories', 'Back-trajectories', true],
    ['layer-sources', 'Attributed sources', true],
    ['layer-stations', 'PM2.5 stations', true],
    ['layer-provinces', 'Thai provinces', true],
    ['layer-countries', 'Countries', true],
  ] as const;
  const cats = [...new Set(m.sources.map((s) => s.category))];
  const legend = `
  <div class="legend">
    <div class="legend-title">Layers</div>
    ${toggles
      .map(([id, label, on]) => `<label><input type="checkbox" data-layer="${id}"${on ? ' checked' : ''}> ${esc(label)}</label>`)
      .join('\n    ')}
    <div class="legend-title">Hotspot density</div>
    <div class="ramp" style="background:linear-gradient(to right,${YLORRD.join(',')})"></div>
    <div class="ramp-labels"><span>1</span><span>${f1(dmax)} ${esc(m.densityHex.label)}</span></div>
    ${m.riskHex ? `<div class="legend-title">Risk score</div><div class="ramp" style="background:linear-gradient(to right,${PURPLES.join(',')})"></div><div class="ramp-labels"><span>0</span><span>100</span></div>` : ''}
    <div class="legend-title">Sources (size = share)</div>
    ${cats.map((c) => `<div class="swatch-row"><span class="swatch${c === 'facility' ? ' square' : ''}" style="background:${categoryColor(c)}"></span>${esc(c)}</div>`).join('')}
    <div class="swatch-row"><span class="line-swatch"></span>back-trajectory</div>
    <div class="swatch-row"><span class="tri-swatch"></span>station (dark = in an episode)</div>
  </div>`;
  return `<div class="map-wrap"><svg id="map" viewBox="0 0 ${MAP_W} ${MAP_H}" role="img" aria-label="Map of hotspots, trajectories and sources">${parts.join('')}</svg>${legend}</div>`;
}

// ---------------------------------------------------------------- charts

function niceTicks(min: number, max: number, n: number): number[] {
  const span = max - min || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => span / s <= n) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function renderSeries(m: ReportModel): string {
  const W = 960;
  const H = 340;
  const L = 52;
  const R = 70;
  const T = 16;
  const B = 36;
  const pts = m.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p[1]));
  if (pts.length === 0) return '<p class="empty">No PM2.5 series.</p>';
  const t0 = Math.min(...pts.map((p) => p[0]));
  const t1 = Math.max(...pts.map((p) => p[0]));
  const vmax = Math.max(m.threshold * 1.2, ...pts.map((p) => p[1]));
  const x = (t: number): number => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (v: number): number => T + (1 - v / vmax) * (H - T - B);
  const parts: string[] = [];
  // Episode windows as shaded bands (one row of bands per station would be illegible; overlap shows intensity).
  for (const e of m.episodes) {
    const xa = x(Math.max(t0, e.start));
    const xb = x(Math.min(t1, e.end));
    parts.push(`<rect class="episode-band" x="${f1(xa)}" y="${T}" width="${f1(Math.max(2, xb - xa))}" height="${H - T - B}"><title>episode at ${esc(e.station)}: ${isoMinute(e.start)} to ${isoMinute(e.end)}, peak ${f1(e.peakValue)} µg/m³</title></rect>`);
  }
  for (const v of niceTicks(0, vmax, 6)) {
    parts.push(`<path class="grid" d="M${L},${f1(y(v))}H${W - R}"/><text class="tick" x="${L - 6}" y="${f1(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  const dayMs = 86_400_000;
  const span = t1 - t0;
  const stepDays = span > 90 * dayMs ? 14 : span > 30 * dayMs ? 7 : span > 10 * dayMs ? 2 : 1;
  for (let t = Math.ceil(t0 / dayMs) * dayMs; t <= t1; t += stepDays * dayMs) {
    const d = new Date(t).toISOString().slice(5, 10);
    parts.push(`<path class="grid light" d="M${f1(x(t))},${T}V${H - B}"/><text class="tick" x="${f1(x(t))}" y="${H - B + 16}" text-anchor="middle">${d}</text>`);
  }
  parts.push(`<path class="threshold" d="M${L},${f1(y(m.threshold))}H${W - R}"/><text class="threshold-label" x="${L + 6}" y="${f1(y(m.threshold) - 5)}">standard ${m.threshold} µg/m³</text>`);
  const labelYs: { y: number; text: string; color: string }[] = [];
  m.series.forEach((s, i) => {
    const color = SERIES_PALETTE[i % SERIES_PALETTE.length] as string;
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
    const last = [...s.points].reverse().find((p) => Number.isFinite(p[1]));
    parts.push(`<path class="series-line" stroke="${color}" d="${d}"><title>${esc(s.station)}</title></path>`);
    if (last) labelYs.push({ y: y(last[1]) + 4, text: s.station, color });
  });
  // End labels pushed apart (12 px) so stations ending at similar values stay readable.
  labelYs.sort((a, b) => a.y - b.y);
  for (let i = 1; i < labelYs.length; i++) {
    const prev = labelYs[i - 1] as { y: number };
    const cur = labelYs[i] as { y: number };
    if (cur.y - prev.y < 12) cur.y = prev.y + 12;
  }
  // ... and pulled back up from the bottom edge if the push ran past it.
  let limit = H - B + 4;
  for (let i = labelYs.length - 1; i >= 0; i--) {
    const l = labelYs[i] as { y: number };
    if (l.y > limit) l.y = limit;
    limit = l.y - 12;
  }
  for (const l of labelYs) parts.push(`<text class="series-label" fill="${l.color}" x="${W - R + 6}" y="${f1(l.y)}">${esc(l.text)}</text>`);
  parts.push(`<text class="axis-label" x="14" y="${T + (H - T - B) / 2}" transform="rotate(-90 14 ${T + (H - T - B) / 2})" text-anchor="middle">PM2.5 µg/m³</text>`);
  return `<svg id="series" viewBox="0 0 ${W} ${H}" role="img" aria-label="PM2.5 time series">${parts.join('')}</svg>`;
}

function renderBars(id: string, bars: ShareBar[], colorOf: (b: ShareBar, i: number) => string): string {
  if (bars.length === 0) return `<p class="empty">Nothing attributed.</p>`;
  const W = 460;
  const row = 30;
  const L = 150;
  const R = 60;
  const H = 24 + bars.length * row;
  const vmax = Math.min(1, Math.max(0.05, ...bars.map((b) => b.hi)));
  const x = (v: number): number => L + (v / vmax) * (W - L - R);
  const parts: string[] = [];
  for (const v of niceTicks(0, vmax, 4)) parts.push(`<path class="grid light" d="M${f1(x(v))},4V${H - 18}"/><text class="tick" x="${f1(x(v))}" y="${H - 4}" text-anchor="middle">${Math.round(v * 100)}%</text>`);
  bars.forEach((b, i) => {
    const y0 = 6 + i * row;
    parts.push(`<text class="bar-label" x="${L - 8}" y="${y0 + 15}" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(`<rect class="bar" x="${L}" y="${y0 + 3}" width="${f1(Math.max(0.5, x(b.share) - L))}" height="${row - 10}" fill="${colorOf(b, i)}"><title>${esc(b.label)}: ${pct(b.share)} (range ${pct(b.lo)} to ${pct(b.hi)})</title></rect>`);
    if (b.hi > b.lo) {
      const yc = y0 + 3 + (row - 10) / 2;
      parts.push(`<path class="errbar" d="M${f1(x(b.lo))},${f1(yc)}H${f1(x(b.hi))}M${f1(x(b.lo))},${f1(yc - 5)}V${f1(yc + 5)}M${f1(x(b.hi))},${f1(yc - 5)}V${f1(yc + 5)}"/>`);
    }
    parts.push(`<text class="bar-value" x="${f1(Math.max(x(b.hi), x(b.share)) + 6)}" y="${y0 + 15}">${pct(b.share)}</text>`);
  });
  return `<svg id="${id}" class="bars" viewBox="0 0 ${W} ${H}" role="img">${parts.join('')}</svg>`;
}

function renderCpf(cpf: NonNullable<ReportModel['cpf']>): string {
  const S = 360;
  const c = S / 2;
  const rmax = S / 2 - 30;
  const smax = Math.max(...cpf.bins.map((b) => b.speedTo));
  const r = (s: number): number => (s / smax) * rmax;
  const pt = (deg: number, rad: number): string => {
    // Compass: 0° = north (up), clockwise.
    const a = (deg * Math.PI) / 180;
    return `${f1(c + rad * Math.sin(a))},${f1(c - rad * Math.cos(a))}`;
  };
  const parts: string[] = [];
  for (const b of cpf.bins) {
    if (!(b.n > 0) || !Number.isFinite(b.p)) continue;
    const r0 = r(b.speedFrom);
    const r1 = r(b.speedTo);
    const large = b.dirTo - b.dirFrom > 180 ? 1 : 0;
    const d = `M${pt(b.dirFrom, r0)}L${pt(b.dirFrom, r1)}A${f1(r1)},${f1(r1)} 0 ${large} 1 ${pt(b.dirTo, r1)}L${pt(b.dirTo, r0)}A${f1(r0)},${f1(r0)} 0 ${large} 0 ${pt(b.dirFrom, r0)}Z`;
    parts.push(`<path class="cpf-cell" fill="${ramp(BLUES_CPF, b.p)}" d="${d}"><title>from ${b.dirFrom}–${b.dirTo}°, ${b.speedFrom}–${b.speedTo} m/s: P(PM2.5 > ${f1(cpf.threshold)}) = ${b.p.toFixed(2)} (n = ${b.n})</title></path>`);
  }
  for (const s of niceTicks(0, smax, 4)) if (s > 0) parts.push(`<circle class="cpf-ring" cx="${c}" cy="${c}" r="${f1(r(s))}"/><text class="tick" x="${c + 3}" y="${f1(c - r(s) - 2)}">${s} m/s</text>`);
  for (const [lab, deg] of [['N', 0], ['E', 90], ['S', 180], ['W', 270]] as const) {
    const [px, py] = pt(deg, rmax + 14).split(',');
    parts.push(`<text class="compass" x="${px}" y="${Number(py) + 4}" text-anchor="middle">${lab}</text>`);
  }
  return `<div class="cpf-plot"><svg id="cpf" viewBox="0 0 ${S} ${S}" role="img">${parts.join('')}</svg>
  <div class="ramp" style="background:linear-gradient(to right,${BLUES_CPF.join(',')})"></div><div class="ramp-labels"><span>P = 0</span><span>P = 1</span></div></div>`;
}

// ---------------------------------------------------------------- page

const CSS = `
:root{--ink:#1d2733;--muted:#5d6d7e;--line:#d5dbe1;--bg:#f6f7f9;--card:#fff;--accent:#c0392b}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Thai",sans-serif;color:var(--ink);background:var(--bg)}
header{background:linear-gradient(120deg,#2c3e50,#7b2d26);color:#fff;padding:28px 36px 58px}
header h1{margin:0 0 4px;font-size:26px;font-weight:650}header p{margin:0;opacity:.85}
main{max-width:1280px;margin:0 auto;padding:20px 24px 60px}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:-34px 0 20px}
.fact{background:var(--card);border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.fact .v{font-size:24px;font-weight:650}.fact .l{color:var(--muted);font-size:13px}.fact .n{color:var(--muted);font-size:12px}
section{background:var(--card);border-radius:10px;padding:18px 22px;margin:0 0 20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:19px;margin:0 0 10px}h3{font-size:15px;margin:8px 0}
.map-wrap{display:flex;gap:16px;align-items:flex-start}#map{flex:1;min-width:0;border:1px solid var(--line);border-radius:8px;background:#eaf2f8}
.legend{width:230px;font-size:13px}.legend label{display:block;cursor:pointer}.legend-title{font-weight:650;margin:10px 0 4px}
.ramp{height:10px;border-radius:3px;border:1px solid var(--line)}.ramp-labels{display:flex;justify-content:space-between;color:var(--muted);font-size:12px}
.swatch-row{display:flex;align-items:center;gap:6px}.swatch{width:12px;height:12px;border-radius:50%;display:inline-block}.swatch.square{border-radius:2px}
.line-swatch{width:18px;height:0;border-top:2px solid #2471a3;display:inline-block}.tri-swatch{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:11px solid #17202a;display:inline-block}
.sea{fill:#eaf2f8}.country{fill:#fbfaf7;stroke:#7f8c8d;stroke-width:1.1;fill-rule:evenodd}.province{fill:none;stroke:#b3b6b7;stroke-width:.6;stroke-dasharray:2 2}
.hex{stroke:rgba(120,60,0,.35);stroke-width:.4;fill-opacity:.82}.hex.risk{stroke:rgba(60,0,100,.3)}
.trajectory{fill:none;stroke:#2471a3;stroke-width:1.1;stroke-opacity:.55}
.source{stroke:#fff;stroke-width:.8;fill-opacity:.9}
.station path{fill:#fff;stroke:#17202a;stroke-width:1.3}.station.in-episode path{fill:#17202a}.station text{font-size:11px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
.country-label{font-size:13px;font-weight:700;letter-spacing:.18em;fill:#5d6d7e;fill-opacity:.75;paint-order:stroke;stroke:#fff;stroke-width:3px;pointer-events:none}
.scalebar path{stroke:#17202a;stroke-width:2}.scalebar text{font-size:11px}
.grid{stroke:#e5e8e8}.grid.light{stroke:#f0f2f3}.tick{font-size:11px;fill:var(--muted)}
.threshold{stroke:var(--accent);stroke-dasharray:5 4;stroke-width:1.2}.threshold-label{font-size:11px;fill:var(--accent)}
.series-line{fill:none;stroke-width:1.6}.series-label{font-size:11px;font-weight:600}.episode-band{fill:#c0392b;fill-opacity:.07}
.axis-label{font-size:12px;fill:var(--muted)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:24px}.bars{width:100%;max-width:560px}
.bar-label{font-size:12px}.bar-value{font-size:12px;font-weight:600}.errbar{stroke:#17202a;stroke-width:1.2;fill:none}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left}th{background:#f2f4f4;font-weight:650}
td.num{text-align:right;font-variant-numeric:tabular-nums}.scorebar{display:inline-block;height:9px;background:#756bb1;border-radius:2px;vertical-align:middle;margin-right:6px}
.cpf-wrap{display:flex;gap:24px;align-items:center}.cpf-plot{flex:0 0 360px}#cpf{width:360px;display:block}.cpf-ring{fill:none;stroke:#aab7b8;stroke-dasharray:2 3}.compass{font-size:12px;font-weight:650}.cpf-cell{stroke:#fff;stroke-width:.4}
.caveats li{margin-bottom:6px}.files{columns:2;font-family:ui-monospace,monospace;font-size:12px;color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:20px}
.empty{color:var(--muted);font-style:italic}
@media (max-width:900px){.map-wrap,.two,.cpf-wrap{display:block}.legend{width:auto}}
`;

// Layer toggles only; everything else is static SVG so the report works even with scripts blocked.
const JS = `document.querySelectorAll('input[data-layer]').forEach(function(cb){var g=document.getElementById(cb.getAttribute('data-layer'));if(!g)return;var sync=function(){g.style.display=cb.checked?'':'none'};cb.addEventListener('change',sync);sync();});`;

/** Render the report as one self-contained HTML document. */
export function renderReport(m: ReportModel): string {
  const regionColor = new Map(m.sharesByRegion.map((b, i) => [b.key, REGION_PALETTE[i % REGION_PALETTE.length] as string]));
  const episodesTable = m.episodes.length
    ? `<table id="episodes"><thead><tr><th>Station</th><th>Local days</th><th>Start (UTC)</th><th>End (UTC)</th><th>Peak (UTC)</th><th class="num">Peak µg/m³</th><th>Top category</th><th>Top region</th></tr></thead><tbody>${m.episodes
        .map(
          (e) =>
            `<tr><td>${esc(e.station)}</td><td>${localDays(e.start, e.end)}</td><td>${isoMinute(e.start)}</td><td>${isoMinute(e.end)}</td><td>${isoMinute(e.peakTime)}</td><td class="num">${f1(e.peakValue)}</td><td>${esc(e.topCategory ?? '')}</td><td>${esc(e.topRegion ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No episodes above the threshold in this window.</p>';
  const smax = Math.max(1, ...m.districts.map((d) => d.score));
  const districtsTable = m.districts.length
    ? `<table id="districts"><thead><tr><th class="num">#</th><th>District</th><th>Province</th><th>Risk score</th><th>Level</th><th>Main factor</th></tr></thead><tbody>${m.districts
        .map(
          (d) =>
            `<tr><td class="num">${d.rank}</td><td>${esc(d.name)}</td><td>${esc(d.province)}</td><td><span class="scorebar" style="width:${f1((d.score / smax) * 90)}px"></span>${f1(d.score)}</td><td>${esc(d.level)}</td><td>${esc(d.note)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">No districts scored.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(m.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(m.title)}</h1><p>${esc(m.subtitle)}</p></header>
<main>
<div class="facts">${m.keyFacts.map((k) => `<div class="fact"><div class="v">${esc(k.value)}</div><div class="l">${esc(k.label)}</div>${k.note ? `<div class="n">${esc(k.note)}</div>` : ''}</div>`).join('')}</div>
<section id="map-section"><h2>Map: hotspots, back-trajectories and the sources they point to</h2>${renderMap(m)}</section>
<section id="series-section"><h2>PM2.5 at the monitors (${esc(m.seriesLabel)}), episodes shaded</h2>${renderSeries(m)}${episodesTable}</section>
<section id="shares-section"><h2>Where the episode PM2.5 came from</h2>
<p>Shares of the attributed contribution, all episodes pooled (each episode weighted by its peak). Whiskers: spread over the trajectory ensemble members and episodes (see Methods).</p>
<div class="two"><div><h3>By source category</h3>${renderBars('chart-category', m.sharesByCategory, (b) => categoryColor(b.key))}</div>
<div><h3>By country</h3>${renderBars('chart-region', m.sharesByRegion, (b) => regionColor.get(b.key) ?? '#7f8c8d')}</div></div></section>
<section id="districts-section"><h2>Districts ranked by burning risk</h2>${districtsTable}</section>
${m.cpf ? `<section id="cpf-section"><h2>Local sources at ${esc(m.cpf.station)}: conditional probability function</h2><div class="cpf-wrap">${renderCpf(m.cpf)}<p>Probability that hourly PM2.5 exceeds its 75th percentile (${f1(m.cpf.threshold)} µg/m³) given the wind direction (where it blows from) and speed (openair <code>polarPlot</code> CPF on bins, no smoothing). High values point towards the directions of nearby sources.</p></div></section>` : ''}
<section id="methods-section" class="caveats"><h2>Methods and caveats</h2>
<h3>Methods</h3><ul>${m.methods.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<h3>What these results can and cannot say</h3><ul>${m.caveats.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>
<h3>Files written</h3><ul class="files">${m.files.map((f) => `<li>${esc(f)}</li>`).join('')}</ul></section>
<footer>Generated by hazetrace on ${esc(m.generatedAt)}. Offline file: no network access needed.</footer>
</main>
<script>${JS}</script>
</body></html>
`;
}
