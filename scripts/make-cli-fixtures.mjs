#!/usr/bin/env node
// Regenerate test/fixtures/cli/: a small twin-experiment scenario (hazetrace/sim, seeded, so it has a known
// truth) exported as ordinary CLI inputs, plus its wind as ERA5-style NetCDF and U/V GeoTIFFs (written by
// scripts/make-cli-wind-fixtures.py with the system Python's netCDF4 + GDAL), and small real-data slices of
// the embedded sample. Needs `npm run build` first. Run: node scripts/make-cli-fixtures.mjs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { csvParse, csvFormat } from 'd3-dsv';
import { setupTwin, exportScenario } from '../dist/sim/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'cli');
mkdirSync(out, { recursive: true });

// 1. Twin scenario: the committed facility-plume benchmark scenario shortened to 96 h.
const config = { ...JSON.parse(readFileSync(join(root, 'bench', 'scenarios', 'facility-plume.json'), 'utf8')), name: 'cli-fixture', hours: 96 };
const setup = setupTwin(config, { particlesPerHour: 200 });
const files = exportScenario({ scenario: setup.scenario, dispersion: setup.dispersion, observations: setup.observations });
const keep = { 'hotspots_firms.csv': 'twin_hotspots.csv', 'pm25_hourly.csv': 'twin_pm25_hourly.csv', 'stations.csv': 'twin_stations.csv', 'facilities.csv': 'twin_facilities.csv', 'repeat_burn_patches.geojson': 'twin_repeat_burn.geojson' };
for (const [from, to] of Object.entries(keep)) writeFileSync(join(out, to), files[from]);
writeFileSync(join(out, 'twin_config.json'), JSON.stringify(config, null, 1));
// Wind for the NetCDF/GeoTIFF writer: the true wind, every 2nd grid point (0.5°) and every 3rd hour.
const w = JSON.parse(files['wind_true.json']);
const step = 2;
const tstep = 3;
const nx = Math.floor((w.nx - 1) / step) + 1;
const ny = Math.floor((w.ny - 1) / step) + 1;
const times = w.times.filter((_, i) => i % tstep === 0);
const u = [];
const v = [];
w.times.forEach((_, t) => {
  if (t % tstep) return;
  for (let r = 0; r < w.ny; r += step) for (let c = 0; c < w.nx; c += step) {
    u.push(w.u[(t * w.ny + r) * w.nx + c]);
    v.push(w.v[(t * w.ny + r) * w.nx + c]);
  }
});
const tmp = join(out, '.wind_tmp.json');
writeFileSync(tmp, JSON.stringify({ west: w.west, south: w.south, dLng: w.dLng * step, dLat: w.dLat * step, nx, ny, times, u, v }));
const py = spawnSync('/usr/bin/python3', [join(root, 'scripts', 'make-cli-wind-fixtures.py'), tmp, out], { stdio: 'inherit' });
spawnSync('rm', ['-f', tmp]);
if (py.status !== 0) process.exit(py.status ?? 1);

// 2. Real-data slices of the embedded sample (data/): the 22–24 April 2025 case around Chiang Mai.
const data = join(root, 'data');
const firms = csvParse(readFileSync(join(data, 'firms_modis_th_region.csv'), 'utf8'));
const inBox = (r) => +r.longitude >= 97.5 && +r.longitude <= 100.5 && +r.latitude >= 17.5 && +r.latitude <= 20.5;
const real = firms.filter((r) => inBox(r) && (r.acq_date >= '2025-04-21' || r.snapshot_id === 'S4' || r.snapshot_id === 'S6'));
writeFileSync(join(out, 'real_firms.csv'), csvFormat(real, firms.columns));
const pcd = csvParse(readFileSync(join(data, 'pcd_pm25_daily_2025_north.csv'), 'utf8'));
writeFileSync(join(out, 'real_pcd_daily.csv'), csvFormat(pcd.filter((r) => ['35t', '36t', '57t', '73t'].includes(r.station_id) && r.date_local >= '2025-04-18' && r.date_local <= '2025-04-24'), pcd.columns));
const wind = csvParse(readFileSync(join(data, 'wind_2pt_hourly_2025.csv'), 'utf8'));
writeFileSync(join(out, 'real_wind_2pt.csv'), csvFormat(wind.filter((r) => r.time_utc >= '2025-04-18' && r.time_utc < '2025-04-25'), wind.columns));
console.log('wrote', out);
