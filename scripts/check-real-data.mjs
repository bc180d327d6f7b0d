#!/usr/bin/env node
// Loads every supported file of the shared real data with the built library (dist/) and prints what each
// reader accepted, rejected, found missing and found duplicated. Run with `npm run check:real-data`
// (builds first). Data folder: $HAZETRACE_SHARED_DATA, else ../shared/data relative to the repo root.
// Exits 1 when a file fails to load or a must-show count is off (FIRMS MODIS: 15,186 rows, none
// rejected; Air4Thai hourly: accepted + duplicates + rejected = rows).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readFirmsCsvFile,
  readFirmsGeoJsonFile,
  readGeoJsonLayerFile,
  readGeoTiffFile,
  readPointsCsvFile,
  readStationSeriesCsvFile,
  readStationsCsvFile,
} from '../dist/node/index.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.HAZETRACE_SHARED_DATA ? resolve(process.env.HAZETRACE_SHARED_DATA) : resolve(repo, '../shared/data');
if (!existsSync(dir)) {
  console.log(`check:real-data: no shared data at ${dir} (set HAZETRACE_SHARED_DATA); nothing to check.`);
  process.exit(0);
}

/** Which reader a file goes to, by name and extension; null = not a kind hazetrace reads. */
function kindOf(name) {
  const n = name.toLowerCase();
  if (n.endsWith('.csv')) {
    if (n.startsWith('firms')) return 'firms-csv';
    if (n.includes('stations')) return 'stations';
    if (n.startsWith('gppd') || n.includes('powerplant') || n.includes('facilit')) return 'points';
    return 'series';
  }
  if (n.endsWith('.geojson') || n.endsWith('.json')) return n.startsWith('firms') ? 'firms-geojson' : 'geojson';
  if (n.endsWith('.tif') || n.endsWith('.tiff')) return 'geotiff';
  return null;
}

const rows = [];
let failed = false;
const counts = (r) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(' ');
const byCode = (rejected) => {
  const m = {};
  for (const r of rejected) m[r.code] = (m[r.code] ?? 0) + 1;
  return Object.keys(m).length ? ' (' + Object.entries(m).map(([k, v]) => `${k}: ${v}`).join(', ') + ')' : '';
};

for (const name of readdirSync(dir).sort()) {
  const kind = kindOf(name);
  if (kind === null) continue;
  const path = join(dir, name);
  const t0 = performance.now();
  try {
    let line;
    if (kind === 'firms-csv' || kind === 'firms-geojson') {
      const r = kind === 'firms-csv' ? await readFirmsCsvFile(path) : await readFirmsGeoJsonFile(path);
      line = counts({ rows: r.hotspots.length + r.rejected.length, accepted: r.hotspots.length, rejected: r.rejected.length }) + byCode(r.rejected);
      if (name === 'firms_modis_c6_nrt_24h_snapshots_SEA.csv' && (r.hotspots.length !== 15186 || r.rejected.length !== 0)) {
        failed = true;
        line += '  <-- expected 15186 accepted, 0 rejected';
      }
    } else if (kind === 'series') {
      const r = await readStationSeriesCsvFile(path);
      const s = r.stats;
      const missing = Object.entries(s.missingValues).map(([k, v]) => `${k}:${v}`).join(',');
      line =
        counts({ rows: s.rows, accepted: s.accepted, 'accepted-with-values': s.accepted - s.allMissing, 'all-missing': s.allMissing, duplicates: s.duplicates, rejected: s.rejected }) +
        ` missing-cells[${missing}] format=${r.format} time=${r.timeBasis} stations=${new Set(r.series.station).size}` +
        byCode(r.rejected);
      const sumOk = s.accepted + s.duplicates + s.rejected === s.rows;
      line += sumOk ? '  sum ok' : '  <-- accepted + duplicates + rejected != rows';
      if (!sumOk) failed = true;
    } else if (kind === 'stations') {
      const r = await readStationsCsvFile(path);
      line = counts({ rows: r.stations.length + r.rejected.length, accepted: r.stations.length, rejected: r.rejected.length }) + byCode(r.rejected);
    } else if (kind === 'points') {
      const r = await readPointsCsvFile(path);
      line = counts({ rows: r.points.length + r.rejected.length, accepted: r.points.length, rejected: r.rejected.length }) + byCode(r.rejected);
    } else if (kind === 'geojson') {
      const r = await readGeoJsonLayerFile(path);
      line = counts({ features: r.features.length + r.rejected.length, accepted: r.features.length, rejected: r.rejected.length }) + byCode(r.rejected);
    } else {
      const r = await readGeoTiffFile(path);
      line = `${r.width}x${r.height}x${r.bandCount} EPSG:${r.crs.epsg}`;
    }
    rows.push(`${name.padEnd(80)} ${line}  [${(performance.now() - t0).toFixed(0)} ms]`);
  } catch (e) {
    failed = true;
    rows.push(`${name.padEnd(80)} FAILED ${e.code ?? ''} ${e.message}`);
  }
}
console.log(`hazetrace check:real-data — ${dir}`);
for (const r of rows) console.log(r);
console.log(failed ? 'check:real-data: FAILED' : 'check:real-data: all supported files loaded');
process.exit(failed ? 1 : 0);
