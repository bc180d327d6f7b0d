#!/usr/bin/env node
// Regenerate the embedded sample in data/ from the read-only real data in ../shared/data
// (or $HAZETRACE_SHARED_DATA). Every step is a plain crop/filter/simplify so the sample stays
// traceable to its sources (recorded in data/SOURCES.md). Run: node scripts/make-sample-data.mjs
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvParse, csvFormat } from 'd3-dsv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = process.env.HAZETRACE_SHARED_DATA ?? join(root, '..', 'shared', 'data');
const out = join(root, 'data');
if (!existsSync(src)) {
  console.error(`make-sample-data: source folder ${src} not found; set HAZETRACE_SHARED_DATA to the shared data folder`);
  process.exit(3);
}
mkdirSync(out, { recursive: true });
const read = (f) => readFileSync(join(src, f), 'utf8').replace(/^\uFEFF/, '');
const write = (f, text) => {
  writeFileSync(join(out, f), text);
  console.log(`${f}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
};

// Region of the sample: northern Thailand and its neighbours (Myanmar Shan State, northern Laos).
const BOX = { minLng: 94, maxLng: 106, minLat: 14, maxLat: 24 };
const inBox = (lng, lat) => lng >= BOX.minLng && lng <= BOX.maxLng && lat >= BOX.minLat && lat <= BOX.maxLat;
// Northern Thai monitors: the upper-north provinces (Chiang Mai .. Nan, Uttaradit), lat >= 17.5, lng <= 101.2.
const isNorth = (lng, lat) => lat >= 17.5 && lng <= 101.2 && lng >= 97;

// 1. FIRMS: every snapshot cropped to the box (risk calibration needs the multi-year history).
{
  const rows = csvParse(read('firms_modis_c6_nrt_24h_snapshots_SEA.csv'));
  const kept = rows.filter((r) => inBox(Number(r.longitude), Number(r.latitude)));
  write('firms_modis_th_region.csv', csvFormat(kept, rows.columns));
}

// 2. Stations: northern ones with coordinates.
const stations = csvParse(read('air4thai_stations.csv'))
  .filter((r) => r.lat !== '' && r.long !== '' && isNorth(Number(r.long), Number(r.lat)))
  .map((r) => ({ station_id: r.station_id.trim().toLowerCase(), name: r.name_en.trim(), area: r.area_en.trim(), lat: r.lat, long: r.long }));
const northIds = new Set(stations.map((s) => s.station_id));

// 3. PCD daily PM2.5 2025 of the northern stations (ids lower-cased to match the station list).
{
  const rows = csvParse(read('pcd_pm25_daily_2025-01-01_to_2025-06-30.csv'));
  const kept = rows
    .filter((r) => northIds.has(r.station_id.toLowerCase()))
    .map((r) => ({ date_local: r.date, station_id: r.station_id.toLowerCase(), pm25_24h_ugm3: r.pm25_24h_ugm3 }));
  write('pcd_pm25_daily_2025_north.csv', csvFormat(kept, ['station_id', 'date_local', 'pm25_24h_ugm3']));
  const withData = new Set(kept.map((r) => r.station_id));
  // Keep stations that have PCD data or Air4Thai hourly data below.
  globalThis.pcdIds = withData;
}

// 4. Air4Thai hourly PM2.5 2026 of a few northern stations (for CPF with the 2026 wind).
const HOURLY = ['35t', '36t', '57t', '58t', '73t'];
{
  const rows = csvParse(read('air4thai_hourly_2026-01-01_to_2026-04-30.csv'));
  const kept = rows
    .filter((r) => HOURLY.includes(r.station_id.toLowerCase()))
    .map((r) => ({ station_id: r.station_id.toLowerCase(), date_local: r.date_local, time_local: r.time_local, pm25_ugm3: r.pm25_ugm3 }));
  write('air4thai_pm25_hourly_2026_north.csv', csvFormat(kept, ['station_id', 'date_local', 'time_local', 'pm25_ugm3']));
}
write(
  'stations_north.csv',
  csvFormat(
    stations.filter((s) => globalThis.pcdIds.has(s.station_id) || HOURLY.includes(s.station_id)),
    ['station_id', 'name', 'area', 'lat', 'long'],
  ),
);

// 5. Wind: the two reanalysis points, 2025 and 2026, without the long provenance column.
{
  const cols = ['site_id', 'lat', 'lon', 'time_utc', 'wind_speed_ms', 'wind_dir_deg_from'];
  const a = csvParse(read('wind_hourly_openmeteo_era5_chiangmai_chiangrai_2025-01-01_to_2025-06-30.csv'));
  const b = csvParse(read('wind_hourly_openmeteo_era5_chiangmai_chiangrai_2026-01-01_to_2026-04-30.csv'));
  write('wind_2pt_hourly_2025.csv', csvFormat(a, cols));
  write('wind_2pt_hourly_2026.csv', csvFormat(b, cols));
}

// 6. Power plants in the box: the GPPD-style facility CSV the CLI reads.
{
  const rows = csvParse(read('gppd_powerplants_SEA_bbox.csv')).filter((r) => inBox(Number(r.longitude), Number(r.latitude)));
  const fac = rows.map((r, i) => ({
    facility_id: `gppd-${r.country}-${String(i + 1).padStart(3, '0')}`,
    name: r.name,
    latitude: r.latitude,
    longitude: r.longitude,
    iso_a3: r.country,
    primary_fuel: r.primary_fuel,
    capacity_mw: r.capacity_mw,
  }));
  write('facilities_gppd_region.csv', csvFormat(fac, ['facility_id', 'name', 'latitude', 'longitude', 'iso_a3', 'primary_fuel', 'capacity_mw']));
}

// ---- polygon simplification: Douglas-Peucker on each ring (planar in degrees; fine at these tolerances) ----
function perpDist(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
function dp(points, tol) {
  // iterative stack to avoid deep recursion on long coastlines
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let best = -1;
    let bestD = tol;
    for (let k = i + 1; k < j; k++) {
      const d = perpDist(points[k], points[i], points[j]);
      if (d > bestD) {
        bestD = d;
        best = k;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i, best], [best, j]);
    }
  }
  return points.filter((_, k) => keep[k]);
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
function simplifyRing(ring, tol, digits) {
  let r = dp(ring, tol).map(([x, y]) => [round(x, digits), round(y, digits)]);
  r = r.filter((p, i) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1]);
  if (r.length < 4) return null; // a ring smaller than the tolerance vanishes
  const f = r[0];
  const l = r[r.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) r.push([f[0], f[1]]);
  return r;
}
function simplifyGeometry(g, tol, digits) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const outPolys = [];
  for (const poly of polys) {
    const rings = [];
    for (let i = 0; i < poly.length; i++) {
      const r = simplifyRing(poly[i], tol, digits);
      if (r) rings.push(r);
      else if (i === 0) break; // outer ring vanished: drop the polygon (tiny island)
    }
    if (rings.length) outPolys.push(rings);
  }
  if (!outPolys.length) return null;
  return outPolys.length === 1 ? { type: 'Polygon', coordinates: outPolys[0] } : { type: 'MultiPolygon', coordinates: outPolys };
}
function writeLayer(file, features, tol, digits, pick) {
  const feats = [];
  for (const f of features) {
    const g = simplifyGeometry(f.geometry, tol, digits);
    if (g) feats.push({ type: 'Feature', properties: pick(f.properties), geometry: g });
  }
  write(file, JSON.stringify({ type: 'FeatureCollection', features: feats }));
}

// 7. Boundaries.
{
  const c = JSON.parse(read('ne50m_admin0_countries_SEA.geojson'));
  writeLayer('countries_ne50m_region.geojson', c.features, 0.01, 3, (p) => ({ iso_a3: p.iso_a3, name: p.name }));
  const p = JSON.parse(read('th_provinces.geojson'));
  writeLayer('th_provinces_simplified.geojson', p.features, 0.01, 3, (q) => ({
    pro_code: q.pro_code,
    pro_en: q.pro_en,
    reg_royin: q.reg_royin,
  }));
  const d = JSON.parse(read('th_districts_2020.geojson'));
  const north = d.features.filter((f) => f.properties.reg_nesdb === 'UpperNorth' || f.properties.reg_nesdb === 'LowwerNorth');
  writeLayer('th_districts_north_simplified.geojson', north, 0.003, 4, (q) => ({
    amp_code: q.amp_code,
    amp_en: q.amp_en,
    pro_code: q.pro_code,
    pro_en: q.pro_en,
  }));
}
