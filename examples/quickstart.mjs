// Quick start: the demo's chain in a few calls, on the embedded sample (data/).
// Run from the repository root after `npm install`:  node examples/quickstart.mjs   (add --json for the contract JSON)
// It prints the same shares as `hazetrace attribute ... --from 2025-04-22 --to 2025-04-24` and `npm run demo`:
// all three call attributeSeries with the same inputs and defaults.
import { readFileSync } from 'node:fs';
import { readFirmsCsv, readStationSeriesCsv, readStationsCsv, readGeoJsonLayer } from 'hazetrace/io';
import { binPoints } from 'hazetrace/grid';
import { readWindCsv, stationWind } from 'hazetrace/wind';
import { attributeSeries, poolShares } from 'hazetrace/attribution';

const data = (f) => readFileSync(new URL(`../data/${f}`, import.meta.url), 'utf8');
const json = process.argv.includes('--json');
const log = json ? () => {} : console.log;

// 1. Read: FIRMS hotspots (UTC), PCD daily PM2.5 (Thai local days), stations, countries, wind.
const { hotspots, rejected } = readFirmsCsv(data('firms_modis_th_region.csv'));
const series = readStationSeriesCsv(data('pcd_pm25_daily_2025_north.csv'), { utcOffset: '+07:00' });
const { stations } = readStationsCsv(data('stations_north.csv'));
const wind = stationWind(readWindCsv(data('wind_2pt_hourly_2025.csv')).observations);
log(`${hotspots.length} hotspots (${rejected.length} rejected rows), ${series.series.length} PM2.5 rows, ${stations.length} stations`);

// 2. Grid the hotspots on H3 resolution 5.
const grid = binPoints({ lng: hotspots.lng, lat: hotspots.lat, frp: hotspots.frp }, { res: 5, values: { frp: ['sum'] } });
log(`${grid.cells.length} H3 cells; first: ${grid.cells[0]} with ${grid.columns.count[0]} detections`);

// 3. Attribute every PM2.5 episode overlapping 22–24 April 2025 (local days; the FIRMS snapshots cover them):
//    episodes, coverage checks, calibration on the observed PM2.5, back-trajectory ensembles, shares with bands.
const result = attributeSeries(
  {
    hotspots,
    series,
    stations,
    wind,
    regions: readGeoJsonLayer(data('countries_ne50m_region.geojson')),
    facilities: data('facilities_gppd_region.csv'),
  },
  { from: '2025-04-22', to: '2025-04-24' },
);
if (json) {
  console.log(JSON.stringify(result.contract()));
} else {
  log(`category scales: ${result.calibration.mode}${result.calibration.fallback ? ` (${result.calibration.fallback})` : ''}`);
  for (const e of result.episodes) {
    if (e.status !== 'attributed') {
      log(`${e.episode.station}: ${e.status} (${e.reason})`);
      continue;
    }
    const regionsTxt = Object.entries(e.sharesByRegion).sort((a, b) => b[1].share - a[1].share).map(([k, b]) => `${k} ${(b.share * 100).toFixed(0)}% [${(b.low * 100).toFixed(0)}–${(b.high * 100).toFixed(0)}]`).join(', ');
    log(`${e.episode.station} from ${new Date(e.episode.start + 7 * 3_600_000).toISOString().slice(0, 10)} (local) peak ${e.episode.peakValue} µg/m³ -> ${regionsTxt}`);
  }
  log('all episodes (peak-weighted):', poolShares(result, 'region').map((s) => `${s.key} ${(s.share * 100).toFixed(0)}%`).join(', '));
}
